package io.tributary.sequencer;

import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * @param windowLimit history entries kept per dataset to transform uploads against
 * @param sessionTimeout how long Kafka waits for a silent sequencer before its partitions move
 */
public record SequencerConfig(
    String bootstrap, Topics topics, String groupId, int windowLimit, Duration sessionTimeout) {

  /** How long Kafka waits for a silent sequencer before it moves the sequencer's partitions. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  public static SequencerConfig defaults(String bootstrap) {
    return new SequencerConfig(
        bootstrap, Topics.defaults(), "tributary-sequencer", 100_000, DEFAULT_SESSION_TIMEOUT);
  }

  public SequencerConfig withTopics(Topics newTopics) {
    return new SequencerConfig(bootstrap, newTopics, groupId, windowLimit, sessionTimeout);
  }

  public SequencerConfig withSessionTimeout(Duration timeout) {
    return new SequencerConfig(bootstrap, topics, groupId, windowLimit, timeout);
  }
}

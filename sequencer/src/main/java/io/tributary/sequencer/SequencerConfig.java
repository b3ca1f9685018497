package io.tributary.sequencer;

import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * @param windowLimit history entries kept per dataset to transform uploads against
 * @param sessionTimeout how long Kafka waits for a silent sequencer before its partitions move
 * @param checkpointEvery history records between two checkpoints of a partition: a takeover replays
 *     at most about this many after the checkpoint it restores
 */
public record SequencerConfig(
    String bootstrap,
    Topics topics,
    String groupId,
    int windowLimit,
    Duration sessionTimeout,
    long checkpointEvery) {

  /** How long Kafka waits for a silent sequencer before it moves the sequencer's partitions. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** History records between checkpoints; see docs/benchmarks.md for what a takeover costs. */
  public static final long DEFAULT_CHECKPOINT_EVERY = 50_000;

  public static SequencerConfig defaults(String bootstrap) {
    return new SequencerConfig(
        bootstrap,
        Topics.defaults(),
        "tributary-sequencer",
        100_000,
        DEFAULT_SESSION_TIMEOUT,
        DEFAULT_CHECKPOINT_EVERY);
  }

  public SequencerConfig withTopics(Topics newTopics) {
    return new SequencerConfig(
        bootstrap, newTopics, groupId, windowLimit, sessionTimeout, checkpointEvery);
  }

  public SequencerConfig withSessionTimeout(Duration timeout) {
    return new SequencerConfig(bootstrap, topics, groupId, windowLimit, timeout, checkpointEvery);
  }

  public SequencerConfig withCheckpointEvery(long records) {
    return new SequencerConfig(bootstrap, topics, groupId, windowLimit, sessionTimeout, records);
  }
}

package io.tributary.sequencer;

import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * @param windowLimit history entries kept per dataset to transform uploads against
 * @param sessionTimeout how long Kafka waits for a silent sequencer before its partitions move
 * @param checkpointEvery history records between two checkpoints of a partition: a takeover replays
 *     at most about this many after the checkpoint it restores
 * @param groupInstanceId Kafka's static membership, or null: a sequencer that restarts with the
 *     same id replaces its dead self in the group at once, instead of after its session timeout.
 *     Never give two live sequencers the same id: they would fence each other out in turn.
 */
public record SequencerConfig(
    String bootstrap,
    Topics topics,
    String groupId,
    int windowLimit,
    Duration sessionTimeout,
    long checkpointEvery,
    String groupInstanceId) {

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
        DEFAULT_CHECKPOINT_EVERY,
        null);
  }

  public SequencerConfig withTopics(Topics newTopics) {
    return new SequencerConfig(
        bootstrap,
        newTopics,
        groupId,
        windowLimit,
        sessionTimeout,
        checkpointEvery,
        groupInstanceId);
  }

  public SequencerConfig withSessionTimeout(Duration timeout) {
    return new SequencerConfig(
        bootstrap, topics, groupId, windowLimit, timeout, checkpointEvery, groupInstanceId);
  }

  public SequencerConfig withCheckpointEvery(long records) {
    return new SequencerConfig(
        bootstrap, topics, groupId, windowLimit, sessionTimeout, records, groupInstanceId);
  }

  public SequencerConfig withGroupInstanceId(String id) {
    return new SequencerConfig(
        bootstrap, topics, groupId, windowLimit, sessionTimeout, checkpointEvery, id);
  }
}

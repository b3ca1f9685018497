package io.tributary.materializer;

import io.tributary.kafka.Topics;
import java.time.Duration;

/**
 * Where the materializer reads history from and publishes downloads to.
 *
 * @param changeEvents whether it publishes change events for other systems too
 * @param group how it shares the history partitions with other materializers; null for a
 *     materializer that materializes every partition alone (the one-command server)
 */
public record MaterializerConfig(
    String bootstrap, Topics topics, boolean changeEvents, Group group) {

  /** A materializer that materializes every partition alone. */
  public MaterializerConfig(String bootstrap, Topics topics, boolean changeEvents) {
    this(bootstrap, topics, changeEvents, null);
  }

  /**
   * A materializer in the group of its deployment: each partition is materialized, published and
   * served by one member (its active) and kept warm by {@code standbyReplicas} others.
   *
   * @param standbyReplicas warm copies of each partition on other members, for a fast failover
   * @param sessionTimeout how long the group waits for a silent member before its partitions move
   * @param acceptableLag how many records behind the furthest store a store may be and still be
   *     given a partition to serve
   */
  public record Group(int standbyReplicas, Duration sessionTimeout, long acceptableLag) {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    /** Kafka Streams' default for the same purpose ({@code acceptable.recovery.lag}). */
    public static final long DEFAULT_ACCEPTABLE_LAG = 10_000;

    public Group {
      if (standbyReplicas < 0) {
        throw new IllegalArgumentException("standbyReplicas must be 0 or more");
      }
    }

    public static Group withStandbys(int standbyReplicas) {
      return new Group(standbyReplicas, DEFAULT_SESSION_TIMEOUT, DEFAULT_ACCEPTABLE_LAG);
    }
  }

  public MaterializerConfig inGroup(Group group) {
    return new MaterializerConfig(bootstrap, topics, changeEvents, group);
  }

  /** The consumer group of a deployment's materializers, which also keeps what they published. */
  String groupId() {
    return topics.prefix() + ".materializers";
  }
}

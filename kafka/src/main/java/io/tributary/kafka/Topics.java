package io.tributary.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the roles share, and the change events topic they publish for other systems. Uploads
 * and history have the same partition count, so a dataset's uploads and its history live in the
 * same partition number.
 *
 * @param prefix prepended to every topic name, so that several deployments can share a cluster
 * @param partitions partitions of the uploads, history and downloads topics
 * @param replicationFactor replicas of every topic
 * @param compactChanges whether the change events topic is compacted (the latest event of every
 *     object, kept forever) rather than kept for {@value #CHANGES_RETENTION_DAYS} days
 */
public record Topics(
    String prefix, int partitions, short replicationFactor, boolean compactChanges) {

  static final int CHANGES_RETENTION_DAYS = 7;

  public Topics(String prefix, int partitions, short replicationFactor) {
    this(prefix, partitions, replicationFactor, false);
  }

  public Topics withCompactChanges(boolean compact) {
    return new Topics(prefix, partitions, replicationFactor, compact);
  }

  /** Kafka's default record size limit is 1 MB; a DOWNLOAD may carry up to 16 MiB. */
  public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024 + 64 * 1024;

  public static Topics defaults() {
    return new Topics("tributary", 12, (short) 1);
  }

  public String uploads() {
    return prefix + ".uploads";
  }

  public String history() {
    return prefix + ".history";
  }

  public String downloads() {
    return prefix + ".downloads";
  }

  public String schemas() {
    return prefix + ".schemas";
  }

  /**
   * The sequencers' checkpoints of their history partitions (compacted; partition p holds history
   * partition p's), so that a takeover reads a checkpoint and the history after it, not all
   * history.
   */
  public String checkpoints() {
    return prefix + ".sequencer-checkpoints";
  }

  /**
   * Which materializer's read API serves each history partition (compacted, one partition): the
   * materializer group writes it when it divides the partitions, gateways follow it.
   */
  public String materializerRoutes() {
    return prefix + ".materializer-routes";
  }

  /** The admin port's users, by name (compacted, one partition): every admin port follows it. */
  public String adminUsers() {
    return prefix + ".admin-users";
  }

  /** Backends' writes in JSON, for backends that speak Kafka rather than HTTP. */
  public String commands() {
    return prefix + ".commands";
  }

  /** The outcome of each command, under the command's key. */
  public String commandResults() {
    return prefix + ".command-results";
  }

  /** Change events for other systems: a dataset's in the partition number of its history. */
  public String changes() {
    return prefix + ".changes";
  }

  /**
   * The partition of a dataset: where Kafka's default partitioner puts records keyed by its name,
   * as the gateways' uploads are.
   */
  public int partitionOf(String dataset) {
    return partitionOf(dataset, partitions);
  }

  /** The partition of a dataset in a topic of {@code partitions} partitions. */
  public static int partitionOf(String dataset, int partitions) {
    byte[] key = dataset.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(key))
        % partitions;
  }

  /** Creates the topics that do not exist yet, the change events topic too. */
  public void create(Admin admin) throws InterruptedException {
    create(admin, true);
  }

  /**
   * Creates the topics that do not exist yet; existing ones are left as they are. The change events
   * topic only {@code withChanges}: it is created when events are turned on, with the retention
   * they are turned on with.
   */
  public void create(Admin admin, boolean withChanges) throws InterruptedException {
    String maxBytes = Integer.toString(MAX_RECORD_BYTES);
    List<NewTopic> topics =
        List.of(
                topic(uploads(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, days(7))),
                // The source of truth: kept forever.
                topic(history(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                topic(downloads(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, days(1))),
                topic(withChanges ? changes() : "", partitions, changesConfig()),
                topic(commands(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, days(7))),
                topic(
                    commandResults(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, days(7))),
                topic(checkpoints(), partitions, checkpointsConfig()),
                topic(
                    schemas(),
                    1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                topic(
                    adminUsers(),
                    1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                topic(
                    materializerRoutes(),
                    1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
            .stream()
            .filter(t -> !t.name().isEmpty())
            .map(t -> t.configs(withMaxBytes(t.configs(), maxBytes)))
            .toList();
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list Kafka topics: " + e.getCause().getMessage(), e);
    }
    List<String> created = new java.util.ArrayList<>();
    for (NewTopic topic : topics) {
      if (existing.contains(topic.name())) {
        continue;
      }
      try {
        admin.createTopics(List.of(topic)).all().get();
        created.add(topic.name());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
        }
      }
    }
    awaitKnown(admin, created);
  }

  /**
   * A created topic is known to the brokers' metadata a moment later; a client asking before that
   * logs a warning. Waiting here keeps the first start's log clean.
   */
  private static void awaitKnown(Admin admin, List<String> names) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!names.isEmpty() && System.nanoTime() < deadline) {
      try {
        admin.describeTopics(names).allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        // Not known yet: ask again shortly.
        java.util.concurrent.TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  /**
   * Compacted, in segments small enough that the cleaner removes superseded checkpoints within an
   * hour rather than once a gigabyte has piled up.
   */
  private static Map<String, String> checkpointsConfig() {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.SEGMENT_BYTES_CONFIG,
        Integer.toString(64 * 1024 * 1024),
        TopicConfig.SEGMENT_MS_CONFIG,
        Long.toString(60 * 60 * 1000L),
        TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
        "0.2");
  }

  private Map<String, String> changesConfig() {
    return compactChanges
        ? Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.RETENTION_MS_CONFIG,
            "-1")
        : Map.of(TopicConfig.RETENTION_MS_CONFIG, days(CHANGES_RETENTION_DAYS));
  }

  private NewTopic topic(String name, int partitionCount, Map<String, String> configs) {
    return new NewTopic(name, partitionCount, replicationFactor).configs(configs);
  }

  private static Map<String, String> withMaxBytes(Map<String, String> configs, String maxBytes) {
    var all = new java.util.HashMap<>(configs);
    all.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes);
    return all;
  }

  private static String days(int days) {
    return Long.toString(days * 24L * 60 * 60 * 1000);
  }
}

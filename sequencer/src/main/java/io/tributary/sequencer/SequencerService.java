package io.tributary.sequencer;

import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.schemas.UploadRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencer role: consumes uploads as a member of the sequencer group, owns the history
 * partitions matching its assigned upload partitions, and commits upload offsets only after the
 * history records they caused are acknowledged by Kafka.
 */
public final class SequencerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SequencerService.class);

  private static final long COMMIT_INTERVAL_NANOS = 100_000_000L;

  /** Upload offsets integrated and not committed yet: only the sequencer's thread uses it. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

  private long lastCommitNanos = System.nanoTime();

  private final SequencerConfig config;
  private final String instanceId = "sequencer-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<Integer, PartitionSequencer> owned = new ConcurrentHashMap<>();

  /** Partitions whose checkpoint proved wrong: taken over from all history from then on. */
  private final java.util.Set<Integer> replayFully = ConcurrentHashMap.newKeySet();

  // A failed history write leaves the state ahead of the log: a new attempt rebuilds it.
  private final RoleThread loop =
      new RoleThread(instanceId, LOG, "rejoining and replaying history", this::consume);

  private final SequencerMetrics metrics = new SequencerMetrics(instanceId);

  public SequencerService(SequencerConfig config) {
    this.config = config;
  }

  public SequencerService start() {
    loop.start();
    return this;
  }

  /** One attempt: join the group, own partitions, integrate uploads until closed or failed. */
  private void consume() throws InterruptedException {
    try (Producer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.batchProducer(config.bootstrap(), instanceId));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(uploadConsumerSettings());
        KafkaConsumer<String, byte[]> replay = new KafkaConsumer<>(readerSettings("-replay"));
        KafkaConsumer<String, byte[]> checkpoints =
            new KafkaConsumer<>(readerSettings("-checkpoints"));
        KafkaConsumer<String, byte[]> window = new KafkaConsumer<>(readerSettings("-window"))) {
      loop.wakeOnClose(consumer);
      SequencerClients clients = new SequencerClients(producer, replay, checkpoints, window);
      consumer.subscribe(List.of(config.topics().uploads()), new Ownership(clients));
      try {
        while (loop.running()) {
          ConsumerRecords<String, byte[]> records = consumer.poll(KafkaSettings.IDLE_POLL);
          metrics.lag().update(consumer);
          if (!records.isEmpty()) {
            process(records, producer);
          }
          commitIfDue(consumer);
        }
      } catch (WakeupException stopping) {
        if (loop.running()) {
          throw stopping; // Not a stop: the attempt fails and starts again.
        }
      }
      commitBeforeLeaving(consumer);
    } finally {
      owned.clear();
      uncommitted.clear();
    }
  }

  private void process(ConsumerRecords<String, byte[]> records, Producer<String, byte[]> producer)
      throws InterruptedException {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    holdForFaultInjection(records);
    for (ConsumerRecord<String, byte[]> record : records) {
      PartitionSequencer owner = owned.get(record.partition());
      if (owner == null) {
        continue; // Revoked during this poll; the next owner will process it.
      }
      decode(record).ifPresent(upload -> sends.addAll(handleSafely(owner, upload, record)));
      offsets.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
    }
    producer.flush(); // The poll's history records leave together, in one request.
    awaitAll(sends);
    uncommitted.putAll(offsets); // Integrated: written to history.
    for (PartitionSequencer owner : owned.values()) {
      owner.acknowledged();
    }
  }

  /**
   * Commits the upload offsets integrated so far, at most every {@link #COMMIT_INTERVAL_NANOS}: a
   * commit is a write to the broker's offsets log, and one per poll cost the broker as much as a
   * hop. Asynchronous, and safe to lose: the next owner re-reads uploads it integrated already and
   * drops them as duplicates. A synchronous one would hold up the next poll by a coordinator trip.
   */
  private void commitIfDue(KafkaConsumer<String, byte[]> consumer) {
    long now = System.nanoTime();
    if (!uncommitted.isEmpty() && now - lastCommitNanos >= COMMIT_INTERVAL_NANOS) {
      consumer.commitAsync(Map.copyOf(uncommitted), null);
      uncommitted.clear();
      lastCommitNanos = now;
    }
  }

  /**
   * A clean stop commits what it integrated, so that the next owner reads nothing twice, and leaves
   * the group at once: a static member (a group instance id) would otherwise hold its partitions
   * until its session expired. After a crash it stays, and takes its place back when it restarts.
   */
  private void commitBeforeLeaving(KafkaConsumer<String, byte[]> consumer) {
    if (!uncommitted.isEmpty()) {
      try {
        consumer.commitSync(Map.copyOf(uncommitted), Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("Last commit before stopping failed: {}", e.toString());
      }
    }
    try {
      consumer.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      LOG.debug("Leaving the group before stopping failed: {}", e.toString());
    }
  }

  /**
   * Fault injection for the fencing test, off unless the system property {@value #HOLD_PROPERTY} is
   * set: holds decided work before it is written, so that a sequencer frozen (SIGSTOP) now writes
   * after it has been replaced once it is resumed. A zombie must be fenced out then.
   */
  private void holdForFaultInjection(ConsumerRecords<String, byte[]> records)
      throws InterruptedException {
    if (HOLD_MILLIS > 0 && !replacedOnce && !records.isEmpty()) {
      Thread.sleep(HOLD_MILLIS);
    }
  }

  /** Fault injection holds until the first loss of partitions only: then it has done its part. */
  private volatile boolean replacedOnce;

  static final String HOLD_PROPERTY = "tributary.faults.sequencerHoldBeforeWriteMs";
  private static final long HOLD_MILLIS = Long.getLong(HOLD_PROPERTY, 0);

  /**
   * A record that decodes but cannot be handled (a gateway bug, a foreign writer) is skipped with a
   * warning: a poison record must not stop the partition.
   */
  private List<Future<RecordMetadata>> handleSafely(
      PartitionSequencer owner, UploadRecord upload, ConsumerRecord<String, byte[]> record) {
    try {
      return owner.handle(upload);
    } catch (WindowReader.HistoryUnreadable e) {
      // Not the upload's fault: its partition's checkpoint is wrong. The role starts again and
      // replays that partition in full; the upload is read again, as it was not committed.
      replayFully.add(record.partition());
      throw e;
    } catch (RuntimeException e) {
      LOG.warn(
          "Skipping upload at {}-{}@{} that cannot be handled: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return List.of();
    }
  }

  private static java.util.Optional<UploadRecord> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return java.util.Optional.of(RecordCodec.decodeUpload(record.value()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Skipping undecodable upload at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return java.util.Optional.empty();
    }
  }

  private static void awaitAll(List<Future<RecordMetadata>> sends) throws InterruptedException {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("history write failed: " + e.getCause(), e);
      }
    }
  }

  /**
   * The consumers that read partitions by assignment: history on a takeover, checkpoints, a
   * restored window's entries. The replay consumer's last fetch of a partition is still waiting at
   * the broker when it moves on to the next, and the next cannot be fetched before that one
   * returns: with the idle consumers' wait, each takeover took 0.5 s, and twelve partitions 6 s
   * after every start.
   */
  private Properties readerSettings(String suffix) {
    return readerSettings(config.bootstrap(), instanceId + suffix);
  }

  static Properties readerSettings(String bootstrap, String clientId) {
    Properties props = KafkaSettings.consumer(bootstrap, clientId, null);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return props;
  }

  private Properties uploadConsumerSettings() {
    Properties props = KafkaSettings.consumer(config.bootstrap(), instanceId, config.groupId());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
    if (config.groupInstanceId() != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId());
    }
    props.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(500, config.sessionTimeout().toMillis() / 5));
    return props;
  }

  /** Takes over the history partitions that match the upload partitions assigned to us. */
  private final class Ownership implements ConsumerRebalanceListener {
    private final SequencerClients clients;

    Ownership(SequencerClients clients) {
      this.clients = clients;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        try {
          owned.put(partition.partition(), takeOver(partition.partition()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WakeupException();
        }
      }
    }

    /** From the newest checkpoint if it can be trusted, else (or if it fails) from all history. */
    private PartitionSequencer takeOver(int partition) throws InterruptedException {
      if (!replayFully.contains(partition)) {
        PartitionSequencer owner = new PartitionSequencer(partition, clients, config, metrics);
        try {
          owner.takeOver(true);
          return owner;
        } catch (WindowReader.HistoryUnreadable e) {
          LOG.warn(
              "Partition {}: its checkpoint is wrong ({}); replaying all history",
              partition,
              e.getMessage());
          replayFully.add(partition);
        }
      }
      PartitionSequencer owner = new PartitionSequencer(partition, clients, config, metrics);
      owner.takeOver(false);
      return owner;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      replacedOnce |= !partitions.isEmpty();
      partitions.forEach(partition -> owned.remove(partition.partition()));
      // What the next owner need not read again, if the commit makes it; no harm if not.
      uncommitted.keySet().removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    metrics.close();
  }
}

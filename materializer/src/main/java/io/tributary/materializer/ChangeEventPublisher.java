package io.tributary.materializer;

import io.tributary.core.events.ChangeEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the store's outbox of change events to the change events topic, on a thread of its own:
 * the materializer only writes them into the batch that applies their changeset, so that nothing of
 * this stands between a changeset and the clients' downloads, and an event is never lost (it leaves
 * the outbox once Kafka has it) and may only come twice after a failure. Names become those of the
 * newest schema version as the event is published.
 *
 * <p>It sends the events of the partitions it is told to ({@link #send}): in a group, those its
 * materializer is the active of. A standby's events wait in the outbox, for the takeover, until the
 * active has published theirs.
 */
final class ChangeEventPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeEventPublisher.class);
  private static final int BATCH = 1_000;

  private final String name;
  private final String bootstrap;
  private final Topics topics;
  private final RocksStore store;
  private final ChangeEventMetrics metrics;
  private final RoleThread loop;
  private final Semaphore work = new Semaphore(0);
  private volatile SchemaVersions.Version schema;
  private volatile Set<Integer> sending = Set.of();
  private volatile boolean closing;
  private ChangeEventRecords records;
  private long lastRefresh = System.nanoTime() - REFRESH_AT_MOST_EVERY_NANOS;
  private static final long REFRESH_AT_MOST_EVERY_NANOS = 10_000_000_000L;

  ChangeEventPublisher(
      String name, String bootstrap, Topics topics, RocksStore store, ChangeEventMetrics metrics) {
    this.name = name;
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.store = store;
    this.metrics = metrics;
    this.loop = new RoleThread(name, LOG, "publishing the outbox again", this::publish);
  }

  ChangeEventPublisher start() {
    loop.start();
    return this;
  }

  /** The schema version whose names events get from now on. */
  void adopt(SchemaVersions.Version version) {
    schema = version;
    wake();
  }

  /** The partitions whose events to send from now on. */
  void send(Set<Integer> partitions) {
    sending = Set.copyOf(partitions);
    wake();
  }

  /** Says that the outbox has new events. */
  void wake() {
    if (work.availablePermits() == 0) {
      work.release();
    }
  }

  private void publish() throws InterruptedException {
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings())) {
      int publishedSchema = store.publishedSchema();
      // Each partition's first sequence not yet published; a partition sent again starts over.
      Map<Integer, Long> next = new HashMap<>();
      while (loop.running() && !closing) {
        SchemaVersions.Version version = schema;
        if (version != null && version.number() != publishedSchema) {
          republishRenamed(producer, version);
          publishedSchema = version.number();
        }
        Set<Integer> partitions = sending;
        next.keySet().retainAll(partitions);
        int sent = version == null ? 0 : sendUnpartitioned(producer, version);
        for (int partition : version == null ? Set.<Integer>of() : partitions) {
          List<RocksStore.OutboxEntry> entries =
              store.outbox(partition, next.getOrDefault(partition, 0L), BATCH);
          if (entries.isEmpty()) {
            continue;
          }
          send(producer, recordsFor(version), entries);
          store.removeOutbox(entries);
          next.put(partition, entries.get(entries.size() - 1).sequence() + 1);
          metrics.published(entries.size());
          sent += entries.size();
        }
        if (sent == 0) {
          work.tryAcquire(KafkaSettings.IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /**
   * Sends the events an outbox of an earlier version kept without partitions: its own, unsent,
   * whichever partitions this member holds now (their offsets are unknown: no mark covers them).
   */
  private int sendUnpartitioned(Producer<byte[], byte[]> producer, SchemaVersions.Version version)
      throws InterruptedException {
    List<RocksStore.OutboxEntry> entries = store.unpartitionedOutbox(BATCH);
    if (!entries.isEmpty()) {
      send(producer, recordsFor(version), entries);
      store.removeUnpartitionedOutbox(entries);
      metrics.published(entries.size());
    }
    return entries.size();
  }

  /**
   * Publishes again, as snapshot events under the new names, every object of the entities that
   * {@code version} renamed (or renamed a member of) since the events were last published: a copy
   * kept under the old names gets them. The outbox's events that follow may be older than these,
   * but each object's last event is still its latest state.
   */
  private void republishRenamed(Producer<byte[], byte[]> producer, SchemaVersions.Version version)
      throws InterruptedException {
    int published = store.publishedSchema();
    java.util.Optional<SchemaVersions.Version> earlier =
        published == 0
            ? java.util.Optional.empty()
            : new SchemaVersions(bootstrap, topics)
                .all().stream().filter(v -> v.number() == published).findFirst();
    java.util.Set<String> renamed =
        earlier
            .map(before -> version.renames().renamedSince(before.renames(), version.model()))
            .orElse(java.util.Set.of());
    if (!renamed.isEmpty()) {
      LOG.info(
          "Schema version ID {} renamed {}: publishing their objects again",
          version.number(),
          renamed);
      republish(producer, version, earlier.get(), renamed);
    }
    store.putPublishedSchema(version.number());
  }

  private void republish(
      Producer<byte[], byte[]> producer,
      SchemaVersions.Version version,
      SchemaVersions.Version earlier,
      java.util.Set<String> renamed)
      throws InterruptedException {
    ChangeEventRecords records = recordsFor(version);
    ChangeEventRecords before = new ChangeEventRecords(earlier, topics.changes());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    java.util.Map<String, Long> heads = new java.util.HashMap<>();
    long now = System.currentTimeMillis();
    try (java.util.stream.Stream<RocksStore.StoredObject> objects = store.objectsOf(renamed)) {
      for (var object : (Iterable<RocksStore.StoredObject>) objects::iterator) {
        ChangeEvent snapshot =
            new ChangeEvent(
                object.dataset(),
                object.key(),
                ChangeEvent.Operation.SNAPSHOT,
                java.util.Optional.empty(),
                java.util.Optional.of(object.properties()),
                java.util.Collections.emptySortedSet(),
                heads.computeIfAbsent(object.dataset(), store::head),
                now,
                0);
        int partition = topics.partitionOf(object.dataset());
        ChangeEventRecords.Encoded record = records.encode(snapshot);
        sent.add(
            producer.send(
                new ProducerRecord<>(topics.changes(), partition, record.key(), record.value())));
        if (topics.compactChanges()
            && !java.util.Arrays.equals(record.key(), before.keyOf(snapshot))) {
          // The entity was renamed: compaction must forget the key under the old name.
          sent.add(
              producer.send(
                  new ProducerRecord<>(topics.changes(), partition, before.keyOf(snapshot), null)));
        }
        if (sent.size() >= BATCH) {
          awaitSent(producer, sent);
          sent.clear();
        }
      }
    }
    awaitSent(producer, sent);
  }

  /** Sends a batch and waits until Kafka has all of it; a failure fails the attempt. */
  private void send(
      Producer<byte[], byte[]> producer,
      ChangeEventRecords records,
      List<RocksStore.OutboxEntry> entries)
      throws InterruptedException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(entries.size());
    for (RocksStore.OutboxEntry entry : entries) {
      PendingEvent pending = PendingEvent.decode(entry.event());
      List<ChangeEventRecords.Encoded> encoded = new ArrayList<>(2);
      try {
        encoded.add(encode(records, pending));
        if (topics.compactChanges() && pending.event().after().isEmpty()) {
          // Lets compaction forget the object once its delete has been read.
          encoded.add(recordsFor(schema).tombstone(pending.event()));
        }
      } catch (IllegalArgumentException e) {
        // An entity the newest schema version no longer has: nothing can describe it.
        metrics.skipped();
        LOG.warn("Skipping a change event of {}: {}", pending.event().dataset(), e.getMessage());
        continue;
      } catch (RuntimeException e) {
        // One event that cannot be written must not hold up every later one for good.
        metrics.skipped();
        LOG.error(
            "Skipping a change event of {} that cannot be written: {}",
            pending.event().dataset(),
            e.toString());
        continue;
      }
      for (ChangeEventRecords.Encoded record : encoded) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topics.changes(), pending.partition(), record.key(), record.value())));
      }
    }
    awaitSent(producer, sent);
  }

  private static void awaitSent(
      Producer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent)
      throws InterruptedException {
    producer.flush();
    for (Future<RecordMetadata> future : sent) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "cannot publish change events: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  /**
   * The event's record. An entity this schema version does not know may be one of a newer version
   * that the follower has not brought yet: the newest is read once before the event is given up.
   */
  private ChangeEventRecords.Encoded encode(ChangeEventRecords records, PendingEvent pending)
      throws InterruptedException {
    try {
      return records.encode(pending.event());
    } catch (IllegalArgumentException unknown) {
      // Events of an entity removed long ago (a rebuilt store) must not read the topic each.
      if (System.nanoTime() - lastRefresh < REFRESH_AT_MOST_EVERY_NANOS) {
        throw unknown;
      }
      lastRefresh = System.nanoTime();
      java.util.Optional<SchemaVersions.Version> newest =
          new SchemaVersions(bootstrap, topics).current();
      if (newest.isEmpty() || newest.get().number() <= records.schemaVersion()) {
        throw unknown;
      }
      schema = newest.get();
      return recordsFor(newest.get()).encode(pending.event());
    }
  }

  private ChangeEventRecords recordsFor(SchemaVersions.Version version) {
    if (records == null || records.schemaVersion() != version.number()) {
      records = new ChangeEventRecords(version, topics.changes());
    }
    return records;
  }

  private Properties producerSettings() {
    Properties settings = KafkaSettings.batchProducer(bootstrap, name);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // Every record carries its schema in JSON: the same bytes over and over compress well.
    settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return settings;
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    wake();
    loop.close();
  }
}

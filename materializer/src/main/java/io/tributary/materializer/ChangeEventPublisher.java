package io.tributary.materializer;

import io.tributary.core.events.ChangeEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
  private volatile boolean closing;
  private ChangeEventRecords records;

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

  /** Says that the outbox has new events. */
  void wake() {
    if (work.availablePermits() == 0) {
      work.release();
    }
  }

  private void publish() throws InterruptedException {
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings())) {
      int publishedSchema = store.publishedSchema();
      long next = 0; // The outbox's first sequence not yet published.
      while (loop.running() && !closing) {
        SchemaVersions.Version version = schema;
        if (version != null && version.number() != publishedSchema) {
          republishRenamed(producer, version);
          publishedSchema = version.number();
        }
        List<RocksStore.OutboxEntry> entries =
            version == null ? List.of() : store.outbox(next, BATCH);
        if (entries.isEmpty()) {
          work.tryAcquire(KafkaSettings.IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
          continue;
        }
        send(producer, recordsFor(version), entries);
        store.removeOutbox(entries);
        next = entries.get(entries.size() - 1).sequence() + 1;
        metrics.published(entries.size());
      }
    }
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
    java.util.Set<String> renamed =
        published == 0
            ? java.util.Set.of()
            : new SchemaVersions(bootstrap, topics)
                .all().stream()
                    .filter(earlier -> earlier.number() == published)
                    .findFirst()
                    .map(
                        earlier ->
                            version.renames().renamedSince(earlier.renames(), version.model()))
                    .orElse(java.util.Set.of());
    if (!renamed.isEmpty()) {
      LOG.info(
          "Schema version ID {} renamed {}: publishing their objects again",
          version.number(),
          renamed);
      ChangeEventRecords records = recordsFor(version);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      java.util.Map<String, Long> heads = new java.util.HashMap<>();
      long now = System.currentTimeMillis();
      store.forEachObjectOf(
          renamed,
          (dataset, key, properties) -> {
            ChangeEvent snapshot =
                new ChangeEvent(
                    dataset,
                    key,
                    ChangeEvent.Operation.SNAPSHOT,
                    java.util.Optional.empty(),
                    java.util.Optional.of(properties),
                    java.util.Collections.emptySortedSet(),
                    heads.computeIfAbsent(dataset, store::head),
                    now,
                    0);
            ChangeEventRecords.Encoded record = records.encode(snapshot);
            sent.add(
                producer.send(
                    new ProducerRecord<>(
                        topics.changes(),
                        topics.partitionOf(dataset),
                        record.key(),
                        record.value())));
          });
      awaitSent(producer, sent);
    }
    store.putPublishedSchema(version.number());
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
        encoded.add(records.encode(pending.event()));
        if (topics.compactChanges() && pending.event().after().isEmpty()) {
          // Lets compaction forget the object once its delete has been read.
          encoded.add(records.tombstone(pending.event()));
        }
      } catch (IllegalArgumentException e) {
        // An entity the newest schema version no longer has: nothing can describe it.
        metrics.skipped();
        LOG.warn("Skipping a change event of {}: {}", pending.event().dataset(), e.getMessage());
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

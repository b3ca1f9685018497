package io.tributary.materializer;

import io.tributary.core.events.ChangeEvent;
import io.tributary.core.events.ChangeEvents;
import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.state.HistoryApplier;
import io.tributary.core.state.MaterializedDataset;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.TailingConsumer;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.IntegratedEvent;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The materializer role: applies every accepted history record to RocksDB, with the consumed
 * offsets and fence state in the same batch, then publishes the applied events to downloads. Every
 * materializer reads every partition into its own complete store.
 *
 * <p>With change events on, the same batch puts the events of each integrated changeset into the
 * store's outbox, which a {@link ChangeEventPublisher} empties into the change events topic.
 */
public final class MaterializerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MaterializerService.class);

  private final MaterializerConfig config;
  private final RocksStore store;
  private final String instanceId = "materializer-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<Integer, EpochFence> fences = new HashMap<>();
  private final MaterializerMetrics metrics = new MaterializerMetrics(instanceId);
  private ChangeEventMetrics eventMetrics;
  private ChangeEventPublisher publisher;
  private SchemaVersions.Following schemaFollower;
  private volatile SchemaVersions.Version schema;
  private long nextOutboxSequence;
  // Nothing half-applied survives a failure (batches are atomic): a new attempt resumes.
  private final RoleThread loop =
      new RoleThread(instanceId, LOG, "resuming from the stored offsets", this::consume);

  public MaterializerService(MaterializerConfig config, RocksStore store) {
    this.config = config;
    this.store = store;
  }

  public MaterializerService start() {
    store.forEachHead(metrics.lengths()::added);
    metrics.refresh(true);
    if (config.changeEvents()) {
      nextOutboxSequence = store.nextOutboxSequence();
      eventMetrics = new ChangeEventMetrics(instanceId);
      publisher =
          new ChangeEventPublisher(
                  instanceId + "-changes", config.bootstrap(), config.topics(), store, eventMetrics)
              .start();
    }
    schemaFollower =
        new SchemaVersions(config.bootstrap(), config.topics())
            .follow(instanceId + "-schemas", this::adopt);
    loop.start();
    return this;
  }

  private void adopt(SchemaVersions.Version version) {
    schema = version;
    if (publisher != null) {
      publisher.adopt(version);
    }
  }

  /** The newest schema version, whose names the read API answers in; empty before the first. */
  public java.util.Optional<SchemaVersions.Version> currentSchema() {
    return java.util.Optional.ofNullable(schema);
  }

  public RocksStore store() {
    return store;
  }

  /** One attempt: resume from the stored offsets and apply history until closed or failed. */
  private void consume() {
    try (Producer<String, byte[]> downloads =
            new KafkaProducer<>(KafkaSettings.batchProducer(config.bootstrap(), instanceId));
        KafkaConsumer<String, byte[]> history =
            new TailingConsumer(config.bootstrap(), instanceId)) {
      loop.wakeOnClose(history);
      resume(history);
      while (loop.running()) {
        ConsumerRecords<String, byte[]> records = history.poll(KafkaSettings.IDLE_POLL);
        metrics.lag().update(history);
        for (TopicPartition partition : records.partitions()) {
          List<HistoryRecord> applied = apply(partition.partition(), records.records(partition));
          publish(downloads, partition.partition(), applied);
          count(applied);
        }
        if (!records.isEmpty()) {
          downloads.flush(); // The poll's downloads leave together, in one request.
        }
        metrics.refresh(false);
      }
    }
  }

  /** Seeks every history partition to the offset after the last one applied to the store. */
  private void resume(KafkaConsumer<String, byte[]> history) {
    List<TopicPartition> partitions =
        history.partitionsFor(config.topics().history(), Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    history.assign(partitions);
    for (TopicPartition partition : partitions) {
      PartitionProgress progress = store.progress(partition.partition());
      fences.put(partition.partition(), new EpochFence(progress.epoch(), progress.token()));
      history.seek(partition, progress.nextOffset());
    }
  }

  /** Applies one partition's records in one batch; returns the accepted non-marker records. */
  private List<HistoryRecord> apply(int partition, List<ConsumerRecord<String, byte[]>> records) {
    EpochFence fence = fences.get(partition);
    List<HistoryRecord> applied = new ArrayList<>();
    try (RocksStore.Batch batch = store.batch()) {
      for (ConsumerRecord<String, byte[]> record : records) {
        HistoryRecord history = decode(record);
        if (history == null) {
          continue;
        }
        if (RecordCodec.isMarker(history)) {
          fence.acceptMarker(history.getEpoch(), history.getToken());
        } else if (fence.accepts(history.getEpoch(), history.getToken())) {
          apply(partition, history, batch);
          applied.add(history);
        }
      }
      long next = records.get(records.size() - 1).offset() + 1;
      batch.putProgress(partition, new PartitionProgress(next, fence.epoch(), fence.token()));
      batch.commit();
    }
    if (publisher != null && !applied.isEmpty()) {
      publisher.wake();
    }
    return applied;
  }

  /** Applies one record; with change events on, puts those of a changeset into the outbox. */
  private void apply(int partition, HistoryRecord history, RocksStore.Batch batch) {
    HistoryEvent event = RecordCodec.event(history);
    MaterializedDataset dataset = batch.dataset(history.getDataset());
    if (publisher == null || !(event instanceof HistoryEvent.Integrated integrated)) {
      HistoryApplier.apply(event, dataset);
      return;
    }
    ChangeEvents.Before before = ChangeEvents.before(integrated.changeset(), dataset);
    HistoryApplier.apply(event, dataset);
    List<ChangeEvent> events = before.events(history.getDataset(), integrated.version(), dataset);
    for (ChangeEvent changeEvent : events) {
      batch.putOutbox(nextOutboxSequence++, new PendingEvent(partition, changeEvent).encode());
    }
    eventMetrics.written(events.size());
  }

  private void count(List<HistoryRecord> applied) {
    for (HistoryRecord record : applied) {
      if (record.getEvent() instanceof IntegratedEvent integrated) {
        // Versions start at 1: the first changeset of a dataset is a new dataset.
        if (integrated.getVersion() == 1) {
          metrics.lengths().added(record.getDataset(), 1);
        } else {
          metrics.lengths().grew(record.getDataset(), integrated.getVersion());
        }
      }
    }
  }

  private void publish(
      Producer<String, byte[]> downloads, int partition, List<HistoryRecord> records) {
    for (HistoryRecord record : records) {
      downloads.send(
          new ProducerRecord<>(
              config.topics().downloads(),
              partition,
              record.getDataset(),
              RecordCodec.encode(download(record))));
    }
  }

  /** What gateways need of a materialized record: its version's salt and history bytes too. */
  private DownloadRecord download(HistoryRecord record) {
    HistoryPosition position = HistoryPosition.EMPTY;
    if (record.getEvent() instanceof IntegratedEvent integrated) {
      position =
          store
              .position(record.getDataset(), integrated.getVersion())
              .orElse(HistoryPosition.EMPTY);
    }
    return new DownloadRecord(
        RecordCodec.forDownload(record), position.salt(), position.historyBytes());
  }

  private static HistoryRecord decode(ConsumerRecord<String, byte[]> record) {
    try {
      return RecordCodec.decodeHistory(record.value());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Skipping undecodable history record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    if (schemaFollower != null) {
      schemaFollower.close();
    }
    if (publisher != null) {
      publisher.close();
      eventMetrics.close();
    }
    metrics.close();
  }
}

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
import io.tributary.kafka.Topics;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.IntegratedEvent;
import io.tributary.schemas.MaterializerMember;
import io.tributary.schemas.MaterializerRoutes;
import io.tributary.schemas.MaterializerShare;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The materializer role: applies accepted history records to RocksDB, with the consumed offsets and
 * fence state in the same batch, then publishes the applied events to downloads and notes in Kafka
 * (the group's committed offsets) how far it has published.
 *
 * <p>Alone, it materializes every partition. In a group ({@link MaterializerConfig.Group}) the
 * members divide the partitions ({@link MaterializerAssignor}): each partition is materialized,
 * published and served by its active, and only applied by its standbys, so that one of them takes
 * it over warm. Whoever takes a partition over (a standby, a restarted member, this one after a
 * crash) publishes again the downloads of records applied but never noted as published, so that no
 * session waits for a change that was committed and never pushed.
 *
 * <p>With change events on, each batch puts the events of each integrated changeset into the
 * store's outbox, which a {@link ChangeEventPublisher} empties into the change events topic for the
 * active partitions. A standby keeps its events until the group's published mark passes them (the
 * active's mark stays below its first event not yet sent), so that whoever takes a partition over
 * also sends the events that the previous active never did.
 */
public final class MaterializerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MaterializerService.class);

  /** How often the published offsets are committed: a commit is a write to the offsets log. */
  private static final long COMMIT_INTERVAL_NANOS = 100_000_000L;

  /** How often a standby drops the events whose records the active has published. */
  private static final long TRIM_INTERVAL_NANOS = 1_000_000_000L;

  /** How long a member with standbys waits in its group poll, so that standbys keep pace. */
  private static final Duration STANDBY_POLL = Duration.ofMillis(50);

  private final MaterializerConfig config;
  private final RocksStore store;
  private final String instanceId = "materializer-" + UUID.randomUUID().toString().substring(0, 8);
  private final MaterializerMetrics metrics = new MaterializerMetrics(instanceId);
  private final Member member = new Member();

  /** The partitions read now, active or standby: only the loop's thread uses these. */
  private final Map<Integer, PartitionCursor> actives = new HashMap<>();

  private final Map<Integer, PartitionCursor> standbys = new HashMap<>();

  /** For each active partition, the offset up to which its downloads are published. */
  private final Map<Integer, Long> publishedThrough = new HashMap<>();

  /** For each active partition, the mark last committed (or found committed when taken). */
  private final Map<Integer, Long> committedMarks = new HashMap<>();

  /** For each standby partition, the group's mark: its events below it are published. */
  private final Map<Integer, Long> standbyMarks = new HashMap<>();

  /** The first download of the poll under way that Kafka refused, set by the producer's thread. */
  private final java.util.concurrent.atomic.AtomicReference<Exception> sendFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  private long lastCommitNanos = System.nanoTime();
  private long lastTrimNanos = System.nanoTime();

  /** The partitions whose reads this member answers: its actives (all of them alone). */
  private final Set<Integer> served = ConcurrentHashMap.newKeySet();

  private volatile String advertisedUrl;
  private volatile int partitionCount;
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

  /** Starts a materializer alone: it reads, publishes and serves every partition. */
  public MaterializerService start() {
    if (config.group() != null) {
      throw new IllegalStateException("a materializer in a group starts with its read API's URL");
    }
    return start(null);
  }

  /**
   * Starts the materializer; in a group, {@code readApiUrl} is where gateways reach its read API.
   */
  public MaterializerService start(String readApiUrl) {
    advertisedUrl = readApiUrl;
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

  /**
   * Whether this materializer answers reads of {@code dataset}: it is the active of its partition.
   * Alone, it answers every dataset, even before it has read anything.
   */
  public boolean serves(String dataset) {
    return config.group() == null || served.contains(Topics.partitionOf(dataset, partitionCount));
  }

  public RocksStore store() {
    return store;
  }

  /** One attempt: resume from the stored offsets and apply history until closed or failed. */
  private void consume() {
    try (Producer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.batchProducer(config.bootstrap(), instanceId));
        KafkaConsumer<String, byte[]> history = historyConsumer();
        KafkaConsumer<String, byte[]> standby =
            new TailingConsumer(config.bootstrap(), instanceId + "-standby")) {
      loop.wakeOnClose(history);
      // As the topic is, not as configured: existing topics keep the count they were made with.
      partitionCount =
          history.partitionsFor(config.topics().history(), Duration.ofSeconds(30)).size();
      Ownership ownership = new Ownership(history, standby, producer);
      if (config.group() == null) {
        ownership.takeAll();
      } else {
        history.subscribe(List.of(config.topics().history()), ownership);
      }
      try {
        while (loop.running()) {
          pollActives(history, producer);
          if (!standbys.isEmpty()) {
            applyStandbys(standby.poll(Duration.ZERO));
            metrics.standbyLag().update(standby);
            ownership.askForPlanOnceWarm();
          }
          trimHeldIfDue(history);
          commitIfDue(history);
          metrics.refresh(false);
        }
      } catch (WakeupException stopping) {
        if (loop.running()) {
          throw stopping; // Not a stop: the attempt fails and starts again.
        }
      }
      leave(history);
    } finally {
      actives.clear();
      standbys.clear();
      served.clear();
      publishedThrough.clear();
      committedMarks.clear();
      standbyMarks.clear();
      metrics.holding(0, 0);
      metrics.standbyLag().clear();
    }
  }

  private KafkaConsumer<String, byte[]> historyConsumer() {
    Properties settings = KafkaSettings.consumer(config.bootstrap(), instanceId, config.groupId());
    MaterializerConfig.Group group = config.group();
    if (group != null) {
      settings.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          MaterializerAssignor.class.getName());
      settings.put(MaterializerAssignor.MEMBERSHIP, member);
      settings.put(
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) group.sessionTimeout().toMillis());
      settings.put(
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) group.sessionTimeout().toMillis() / 3);
    } else {
      // Alone, as a tailing consumer: an idle fetch waits long at the broker (what an idle server
      // costs); no group member's new partitions wait behind it.
      settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, TailingConsumer.IDLE_FETCH_WAIT_MS);
    }
    return new KafkaConsumer<>(settings);
  }

  private void pollActives(
      KafkaConsumer<String, byte[]> history, Producer<String, byte[]> producer) {
    ConsumerRecords<String, byte[]> records =
        history.poll(standbys.isEmpty() ? KafkaSettings.IDLE_POLL : STANDBY_POLL);
    metrics.lag().update(history);
    Map<Integer, Long> published = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      PartitionCursor cursor = actives.get(partition.partition());
      if (cursor == null) {
        continue; // Revoked during this poll.
      }
      List<ConsumerRecord<String, byte[]>> batch = records.records(partition);
      List<HistoryRecord> toPublish = apply(cursor, batch, true);
      publish(producer, partition.partition(), toPublish);
      long next = Math.max(batch.get(batch.size() - 1).offset() + 1, cursor.publishFrom());
      published.put(partition.partition(), next);
    }
    if (!records.isEmpty()) {
      producer.flush(); // The poll's downloads leave together, in one request.
    }
    Exception failed = sendFailure.getAndSet(null);
    if (failed != null) {
      // Not noted as published: this attempt ends, and the next publishes them again.
      throw new IllegalStateException("downloads could not be published: " + failed, failed);
    }
    publishedThrough.putAll(published);
  }

  private void applyStandbys(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      PartitionCursor cursor = standbys.get(partition.partition());
      if (cursor != null) {
        apply(cursor, records.records(partition), false);
      }
    }
  }

  /**
   * Commits how far downloads (and change events) have been published, at most every {@link
   * #COMMIT_INTERVAL_NANOS}. Asynchronous and safe to lose: whoever takes a partition over
   * publishes again from the last commit, and gateways drop what a session has already.
   */
  private void commitIfDue(KafkaConsumer<String, byte[]> history) {
    long now = System.nanoTime();
    if (now - lastCommitNanos >= COMMIT_INTERVAL_NANOS) {
      Map<TopicPartition, OffsetAndMetadata> marks = marksToCommit();
      if (!marks.isEmpty()) {
        history.commitAsync(marks, null);
      }
      lastCommitNanos = now;
    }
  }

  /**
   * Each active partition's mark, where it moved: its downloads published, and no further than its
   * first change event not yet sent.
   */
  private Map<TopicPartition, OffsetAndMetadata> marksToCommit() {
    Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
    publishedThrough.forEach(
        (partition, published) -> {
          long mark = published;
          if (publisher != null && config.group() != null) {
            // Alone, nobody else sends this store's events: holding the mark back would only
            // make a restart publish more downloads again.
            mark = Math.min(mark, store.firstOutboxOffset(partition).orElse(Long.MAX_VALUE));
          }
          if (mark > committedMarks.getOrDefault(partition, -1L)) {
            committedMarks.put(partition, mark);
            marks.put(
                new TopicPartition(config.topics().history(), partition),
                new OffsetAndMetadata(mark));
          }
        });
    return marks;
  }

  /**
   * Drops, every {@link #TRIM_INTERVAL_NANOS}, the held events (of partitions this member is not
   * the active of) of records that the group notes as published: they will not be needed on a
   * takeover. Only below the group's mark: a member that takes a partition back applies nothing it
   * holds again, so events above the mark must stay until somebody has sent them.
   */
  private void trimHeldIfDue(KafkaConsumer<String, byte[]> history) {
    long now = System.nanoTime();
    if (publisher != null && config.group() != null && now - lastTrimNanos >= TRIM_INTERVAL_NANOS) {
      lastTrimNanos = now;
      trimHeld(history);
    }
  }

  private void trimHeld(KafkaConsumer<String, byte[]> history) {
    if (publisher == null || config.group() == null) {
      return;
    }
    Set<Integer> held = new TreeSet<>(store.outboxPartitions());
    held.addAll(standbys.keySet());
    held.removeAll(actives.keySet());
    if (held.isEmpty()) {
      return;
    }
    Set<TopicPartition> partitions = new java.util.HashSet<>();
    for (int p : held) {
      partitions.add(new TopicPartition(config.topics().history(), p));
    }
    Map<TopicPartition, OffsetAndMetadata> marks;
    try {
      marks = history.committed(partitions, Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      LOG.debug("Reading the published marks of held partitions timed out");
      return;
    }
    marks.forEach(
        (partition, mark) -> {
          if (mark != null) {
            if (standbys.containsKey(partition.partition())) {
              standbyMarks.put(partition.partition(), mark.offset());
            }
            eventMetrics.trimmed(store.trimOutbox(partition.partition(), mark.offset()));
          }
        });
  }

  /**
   * A clean stop commits what it published and leaves the group at once; alone, it closes without
   * waiting for the idle fetch under way.
   */
  private void leave(KafkaConsumer<String, byte[]> history) {
    commitNow(history);
    try {
      history.close(
          config.group() == null
              ? CloseOptions.timeout(Duration.ZERO)
              : CloseOptions.groupMembershipOperation(
                      CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                  .withTimeout(Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      LOG.debug("Leaving the group before stopping failed: {}", e.toString());
    }
  }

  private void commitNow(KafkaConsumer<String, byte[]> history) {
    Map<TopicPartition, OffsetAndMetadata> marks = marksToCommit();
    if (marks.isEmpty()) {
      return;
    }
    try {
      history.commitSync(marks, Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("Committing the published offsets failed: {}", e.toString());
    }
  }

  /**
   * Applies one partition's records in one batch, those the store holds already excepted; returns
   * the accepted non-marker records whose downloads are not known to be published (none for a
   * standby).
   */
  private List<HistoryRecord> apply(
      PartitionCursor cursor, List<ConsumerRecord<String, byte[]>> records, boolean active) {
    int partition = cursor.partition();
    List<HistoryRecord> toPublish = new ArrayList<>();
    int republished = 0;
    boolean applied = false;
    try (RocksStore.Batch batch = store.batch()) {
      for (ConsumerRecord<String, byte[]> record : records) {
        boolean fresh = record.offset() >= cursor.applyFrom();
        // Records the store holds already are judged again by the fence of their time.
        EpochFence fence = fresh ? cursor.fence() : cursor.pastFence();
        HistoryRecord history = decode(record);
        if (history == null) {
          continue;
        }
        if (RecordCodec.isMarker(history)) {
          if (fence.acceptMarker(history.getEpoch(), history.getToken()) && fresh) {
            batch.putFence(partition, record.offset(), history.getEpoch(), history.getToken());
          }
        } else if (fence.accepts(history.getEpoch(), history.getToken())) {
          if (fresh) {
            boolean events = active || record.offset() >= standbyMarks.getOrDefault(partition, 0L);
            apply(partition, record.offset(), history, batch, events);
            count(history);
            applied = true;
          }
          if (active && record.offset() >= cursor.publishFrom()) {
            toPublish.add(history);
            if (!fresh) {
              republished++;
            }
          }
        }
      }
      long next = records.get(records.size() - 1).offset() + 1;
      if (next > cursor.applyFrom()) {
        EpochFence fence = cursor.fence();
        batch.putProgress(partition, new PartitionProgress(next, fence.epoch(), fence.token()));
        batch.commit();
      }
      if (active && next >= cursor.serveFrom()) {
        served.add(partition);
      }
    }
    if (publisher != null && applied && active) {
      publisher.wake();
    }
    if (republished > 0) {
      metrics.republished(republished);
    }
    return toPublish;
  }

  /**
   * Applies one record; with change events on (and {@code events}), puts those of a changeset in
   * the outbox.
   */
  private void apply(
      int partition, long offset, HistoryRecord history, RocksStore.Batch batch, boolean events) {
    HistoryEvent event = RecordCodec.event(history);
    MaterializedDataset dataset = batch.dataset(history.getDataset());
    if (publisher == null || !events || !(event instanceof HistoryEvent.Integrated integrated)) {
      HistoryApplier.apply(event, dataset);
      return;
    }
    ChangeEvents.Before before = ChangeEvents.before(integrated.changeset(), dataset);
    HistoryApplier.apply(event, dataset);
    List<ChangeEvent> changes = before.events(history.getDataset(), integrated.version(), dataset);
    for (ChangeEvent change : changes) {
      batch.putOutbox(nextOutboxSequence++, new PendingEvent(partition, offset, change));
    }
    eventMetrics.written(changes.size());
  }

  private void count(HistoryRecord record) {
    if (record.getEvent() instanceof IntegratedEvent integrated) {
      // Versions start at 1: the first changeset of a dataset is a new dataset.
      if (integrated.getVersion() == 1) {
        metrics.lengths().added(record.getDataset(), 1);
      } else {
        metrics.lengths().grew(record.getDataset(), integrated.getVersion());
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
              RecordCodec.encode(download(record))),
          (metadata, failure) -> {
            if (failure != null) {
              sendFailure.compareAndSet(null, failure);
            }
          });
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

  /**
   * How the loop reads one partition.
   *
   * @param fence the acceptance rule from {@code applyFrom} on, as the store keeps it
   * @param pastFence the acceptance rule for the records before {@code applyFrom} that are
   *     published again, as it stood at {@code publishFrom}
   * @param applyFrom the store holds the records before this offset: they are not applied again
   * @param publishFrom the downloads of the records before this offset are published
   * @param serveFrom reads are answered once the store has applied the records before this offset:
   *     the partition's end when it was taken, so that no client can have seen a version that the
   *     store does not have yet (it would be told that its history is not the server's)
   */
  private record PartitionCursor(
      int partition,
      EpochFence fence,
      EpochFence pastFence,
      long applyFrom,
      long publishFrom,
      long serveFrom) {}

  /** Which partitions the loop reads as active and as standby, as the group decides. */
  private final class Ownership implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> history;
    private final KafkaConsumer<String, byte[]> standby;
    private final Producer<String, byte[]> producer;

    Ownership(
        KafkaConsumer<String, byte[]> history,
        KafkaConsumer<String, byte[]> standby,
        Producer<String, byte[]> producer) {
      this.history = history;
      this.standby = standby;
      this.producer = producer;
    }

    /** Alone: every partition of the history topic. */
    void takeAll() {
      List<TopicPartition> partitions =
          java.util.stream.IntStream.range(0, partitionCount)
              .mapToObj(p -> new TopicPartition(config.topics().history(), p))
              .toList();
      history.assign(partitions);
      take(partitions);
      metrics.holding(actives.size(), 0);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitNow(history);
      release(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      release(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      MaterializerShare share = member.share;
      keepWarm(share == null ? Set.of() : Set.copyOf(share.getStandby()));
      take(partitions);
      if (share != null) {
        announce(share, member.generation);
      }
      metrics.holding(actives.size(), standbys.size());
      LOG.info(
          "Materializing history partitions {} as active and {} as standby",
          new TreeSet<>(actives.keySet()),
          new TreeSet<>(standbys.keySet()));
    }

    private void release(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        served.remove(partition.partition());
        actives.remove(partition.partition());
        publishedThrough.remove(partition.partition());
        committedMarks.remove(partition.partition());
      }
      if (publisher != null) {
        publisher.send(actives.keySet());
      }
      metrics.holding(actives.size(), standbys.size());
    }

    /**
     * Reads each partition from where the store stopped applying it, or from where publishing
     * stopped if that is earlier: the records in between are published again, not applied again.
     */
    private void take(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          history.committed(Set.copyOf(partitions), Duration.ofSeconds(30));
      Map<TopicPartition, Long> ends =
          config.group() == null
              ? Map.of()
              : history.endOffsets(Set.copyOf(partitions), Duration.ofSeconds(30));
      for (TopicPartition partition : partitions) {
        int p = partition.partition();
        PartitionProgress progress = store.progress(p);
        OffsetAndMetadata mark = committed.get(partition);
        // Never noted (a new deployment, or one from before the marks): what the store holds was
        // published by whoever applied it.
        long published = mark == null ? progress.nextOffset() : mark.offset();
        java.util.Optional<EpochFence> pastFence = java.util.Optional.of(new EpochFence());
        if (published < progress.nextOffset()) {
          pastFence = store.fenceBefore(p, published);
          if (pastFence.isPresent()) {
            LOG.info(
                "Publishing again the downloads of history partition {} from offset {} to {}:"
                    + " applied, never noted as published",
                p,
                published,
                progress.nextOffset());
          } else {
            // A store from before the markers were kept cannot judge those records again.
            LOG.warn(
                "Cannot publish again the downloads of history partition {} from offset {} to {}:"
                    + " this store does not know the fence of that time",
                p,
                published,
                progress.nextOffset());
            published = progress.nextOffset();
          }
        }
        long from = Math.min(published, progress.nextOffset());
        if (publisher != null && config.group() != null && mark != null) {
          // In a group, the events before the mark were sent by whoever was active then (a mark
          // stays below its active's first unsent event). Without a mark nothing is known sent.
          // Alone, every event in the outbox is this store's own to send.
          eventMetrics.trimmed(store.trimOutbox(p, mark.offset()));
        }
        committedMarks.put(p, mark == null ? -1L : mark.offset());
        EpochFence fence = new EpochFence(progress.epoch(), progress.token());
        // Alone, the store has every version a client can have seen: it published them itself.
        long serveFrom = ends.getOrDefault(partition, 0L);
        actives.put(
            p,
            new PartitionCursor(
                p, fence, pastFence.get(), progress.nextOffset(), published, serveFrom));
        history.seek(partition, from);
        if (progress.nextOffset() >= serveFrom) {
          served.add(p);
        }
      }
      if (publisher != null) {
        publisher.send(actives.keySet());
      }
    }

    /** Standbys: applied from where the store stopped, never published. */
    private void keepWarm(Set<Integer> wanted) {
      if (wanted.equals(standbys.keySet())) {
        return;
      }
      standbys.clear();
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p : wanted) {
        PartitionProgress progress = store.progress(p);
        standbys.put(
            p,
            new PartitionCursor(
                p,
                new EpochFence(progress.epoch(), progress.token()),
                new EpochFence(),
                progress.nextOffset(),
                Long.MAX_VALUE,
                Long.MAX_VALUE));
        partitions.add(new TopicPartition(config.topics().history(), p));
      }
      standby.assign(partitions);
      for (TopicPartition partition : partitions) {
        standby.seek(partition, standbys.get(partition.partition()).applyFrom());
      }
      standbyMarks.keySet().retainAll(standbys.keySet());
      metrics.standbyLag().update(standby);
      // Known before the first record is applied: a warming member computes no events for the
      // history that the active has published already.
      trimHeld(history);
    }

    /** Tells gateways which read API serves each partition now. */
    private void announce(MaterializerShare share, int generation) {
      MaterializerRoutes routes = new MaterializerRoutes(generation, share.getOwners());
      try {
        producer.send(
            new ProducerRecord<>(
                config.topics().materializerRoutes(),
                0,
                "routes",
                StoredValues.toBytes(routes.toByteBuffer())),
            (metadata, failure) -> {
              if (failure != null) {
                LOG.warn("Could not write the routes of generation {}: {}", generation, failure);
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Once every warm-up partition has caught up, asks the group for a new plan, in which this
     * member takes them over as active.
     */
    void askForPlanOnceWarm() {
      Set<Integer> warmups = member.warmups;
      if (warmups.isEmpty()) {
        return;
      }
      for (int p : warmups) {
        java.util.OptionalLong lag =
            standby.currentLag(new TopicPartition(config.topics().history(), p));
        if (lag.isEmpty() || lag.getAsLong() > config.group().acceptableLag()) {
          return;
        }
      }
      member.warmups = Set.of();
      LOG.info("Warmed up history partitions {}: asking the group for a new plan", warmups);
      history.enforceRebalance("warm-up caught up");
    }
  }

  /** This materializer as its group's assignor sees it. */
  private final class Member implements MaterializerAssignor.Membership {
    volatile MaterializerShare share;
    volatile int generation;
    volatile Set<Integer> warmups = Set.of();

    @Override
    public MaterializerMember describe() {
      List<Integer> partitions = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      store
          .storedProgress()
          .forEach(
              (partition, progress) -> {
                partitions.add(partition);
                offsets.add(progress.nextOffset());
              });
      return new MaterializerMember(advertisedUrl, partitions, offsets);
    }

    @Override
    public int standbyReplicas() {
      return config.group().standbyReplicas();
    }

    @Override
    public long acceptableLag() {
      return config.group().acceptableLag();
    }

    @Override
    public void assigned(MaterializerShare assigned, int assignedGeneration) {
      share = assigned;
      generation = assignedGeneration;
      warmups = Set.copyOf(assigned.getWarmup());
    }
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

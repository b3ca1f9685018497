package io.tributary.sequencer;

import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.UploadRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of one history partition. {@link #takeOver} fences out any previous owner with an epoch
 * marker and rebuilds the partition's state from its newest checkpoint and the history after it;
 * {@link #handle} then turns uploads into history records that carry this owner's epoch and token,
 * and {@link #acknowledged} checkpoints the state every {@link SequencerConfig#checkpointEvery()}
 * history records.
 */
final class PartitionSequencer {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionSequencer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int MAX_TAKEOVER_ATTEMPTS = 5;

  private final TopicPartition history;
  private final Producer<String, byte[]> producer;
  private final Consumer<String, byte[]> replay;
  private final CheckpointLog checkpoints;
  private final WindowReader windowReader;
  private final SequencerConfig config;
  private final SequencerMetrics metrics;
  private final SecureRandom random = new SecureRandom();
  private final List<Sent> unacknowledged = new ArrayList<>();
  private PartitionState state;
  private long epoch;
  private String token;

  /** The first history offset not yet acknowledged: what a checkpoint now would cover. */
  private long nextOffset;

  private long checkpointedAt;
  private long restoredFrom;
  private boolean checkpointing = true;

  /** A history record sent, and the dataset and version whose position it gives, if any. */
  private record Sent(Future<RecordMetadata> future, DatasetSequencer dataset, long version) {}

  PartitionSequencer(
      int partition, SequencerClients clients, SequencerConfig config, SequencerMetrics metrics) {
    this.history = new TopicPartition(config.topics().history(), partition);
    this.producer = clients.producer();
    this.replay = clients.replay();
    this.checkpoints =
        new CheckpointLog(
            new TopicPartition(config.topics().checkpoints(), partition),
            clients.producer(),
            clients.checkpoints());
    this.windowReader = new WindowReader(history, clients.window());
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Announces the takeover, restores the newest checkpoint (unless {@code fromCheckpoint} is false)
   * and replays the history after it, appends a marker and replays up to it; repeats with a higher
   * epoch until its own marker is the accepted one. Only then may this owner write.
   */
  void takeOver(boolean fromCheckpoint) throws InterruptedException {
    long started = System.nanoTime();
    Optional<CheckpointLog.Checkpoint> checkpoint =
        fromCheckpoint ? readCheckpoint() : Optional.empty();
    long restoredNanos = System.nanoTime() - started;
    long start = checkpoint.map(c -> c.header().getNextOffset()).orElse(0L);
    replay.assign(List.of(history));
    long end = replay.endOffsets(List.of(history)).get(history);
    long beginning = replay.beginningOffsets(List.of(history)).get(history);
    if (start > end || start < beginning) {
      // Not this history's checkpoint (the topic was made again, or cut): it cannot be used.
      LOG.warn(
          "{}: the checkpoint covers up to offset {}, but history holds {} to {}; replaying it all",
          history,
          start,
          beginning,
          end);
      checkpoint = Optional.empty();
      start = 0;
    }
    state =
        checkpoint
            .map(c -> PartitionState.restore(c, config.windowLimit(), windowReader))
            .orElseGet(() -> new PartitionState(config.windowLimit()));
    checkpointedAt = start;
    restoredFrom = start;
    replay.seek(history, start);
    replayUntil(end);
    for (int attempt = 1; ; attempt++) {
      long candidateEpoch = state.fence().nextEpoch();
      String candidateToken = UUID.randomUUID().toString();
      // Right before the marker, and never without it: a replaced owner that missed this notice
      // could checkpoint what the marker fences out (see CheckpointLog). If the checkpoints topic
      // cannot take it, the takeover fails and the role tries again.
      checkpoints.announce(candidateToken);
      long markerOffset = append(RecordCodec.marker(candidateEpoch, candidateToken), "");
      replayUntil(markerOffset + 1);
      if (candidateToken.equals(state.fence().token())) {
        epoch = candidateEpoch;
        token = candidateToken;
        nextOffset = markerOffset + 1;
        metrics.tookOver(System.nanoTime() - started);
        LOG.info(
            "Took over {} with epoch {} at offset {} in {} ms: {}, then {} history records",
            history,
            epoch,
            markerOffset,
            (System.nanoTime() - started) / 1_000_000,
            checkpoint
                .map(
                    c ->
                        "a checkpoint of "
                            + c.datasets().size()
                            + " datasets in "
                            + restoredNanos / 1_000_000
                            + " ms")
                .orElse("no checkpoint"),
            nextOffset - start);
        checkpointIfDue();
        return;
      }
      if (attempt == MAX_TAKEOVER_ATTEMPTS) {
        // Never an endless stream of markers: something other than a race is wrong.
        throw new IllegalStateException(
            "cannot take over " + history + ": " + attempt + " markers were not accepted");
      }
      LOG.info(
          "Marker of epoch {} on {} lost to a concurrent one; retrying", candidateEpoch, history);
    }
  }

  /** The newest checkpoint, or none if there is none or it cannot be read. */
  private Optional<CheckpointLog.Checkpoint> readCheckpoint() {
    try {
      return checkpoints.latest();
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: cannot read its checkpoints ({}); replaying all history", history, e.toString());
      return Optional.empty();
    }
  }

  /** Decides what an upload becomes and sends the resulting history records. */
  List<Future<RecordMetadata>> handle(UploadRecord upload) {
    ReplyTo replyTo = RecordCodec.fromAvro(upload.getReplyTo());
    UploadRequest request = RecordCodec.request(upload);
    String dataset = upload.getDataset();
    DatasetSequencer sequencer = state.dataset(dataset);
    List<HistoryEvent> events = sequencer.handle(replyTo, request, random::nextLong);
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    for (HistoryEvent event : events) {
      HistoryRecord record = RecordCodec.history(dataset, epoch, token, event);
      // Counted once Kafka has it: a failed write is integrated again by the next attempt.
      Future<RecordMetadata> sent =
          producer.send(
              new ProducerRecord<>(
                  history.topic(), history.partition(), dataset, RecordCodec.encode(record)),
              (written, error) -> {
                if (error == null) {
                  metrics.recorded(event);
                }
              });
      sends.add(sent);
      unacknowledged.add(
          event instanceof HistoryEvent.Integrated integrated
              ? new Sent(sent, sequencer, integrated.version())
              : new Sent(sent, null, 0));
    }
    return sends;
  }

  /**
   * Once Kafka has acknowledged everything {@link #handle} sent: gives the window entries their
   * offsets, and writes a checkpoint if one is due.
   */
  void acknowledged() throws InterruptedException {
    for (Sent sent : unacknowledged) {
      long offset;
      try {
        offset = sent.future().get().offset();
      } catch (ExecutionException e) {
        throw new IllegalStateException("history write failed: " + e.getCause(), e);
      }
      if (sent.dataset() != null) {
        sent.dataset().positioned(sent.version(), offset);
      }
      nextOffset = Math.max(nextOffset, offset + 1);
    }
    unacknowledged.clear();
    checkpointIfDue();
  }

  /**
   * Writes a checkpoint once {@link SequencerConfig#checkpointEvery()} history records have come
   * after the last one; stops for good once another sequencer has announced a takeover.
   */
  private void checkpointIfDue() throws InterruptedException {
    if (!checkpointing || nextOffset - checkpointedAt < config.checkpointEvery()) {
      return;
    }
    long started = System.nanoTime();
    java.util.Map<String, io.tributary.core.sequencing.SequencerSnapshot> snapshots =
        state.snapshots();
    boolean written;
    try {
      written = checkpoints.write(nextOffset, state.fence(), snapshots);
    } catch (RuntimeException e) {
      // The checkpoints topic is out of reach: history is unharmed, a takeover only replays more.
      LOG.warn("{}: cannot write a checkpoint ({}); trying again later", history, e.toString());
      checkpointedAt = nextOffset;
      return;
    }
    if (!written) {
      checkpointing = false;
      return;
    }
    checkpointedAt = nextOffset;
    long nanos = System.nanoTime() - started;
    metrics.checkpointed(nanos);
    long millis = nanos / 1_000_000;
    LOG.info(
        "Checkpoint of {} at offset {}: {} datasets in {} ms",
        history,
        nextOffset,
        snapshots.size(),
        millis);
  }

  long epoch() {
    return epoch;
  }

  /** The history offset the takeover's checkpoint covered up to; 0 without one. */
  long restoredFrom() {
    return restoredFrom;
  }

  /** A dataset's last version. */
  long datasetHead(String dataset) {
    return state.dataset(dataset).head();
  }

  /** Every dataset's state, by name, for tests that compare owners. */
  java.util.Map<String, io.tributary.core.sequencing.SequencerSnapshot> datasetStates() {
    return state.snapshots();
  }

  private void replayUntil(long endOffset) {
    while (replay.position(history) < endOffset) {
      for (ConsumerRecord<String, byte[]> record : replay.poll(POLL).records(history)) {
        if (record.offset() >= endOffset) {
          break;
        }
        replayOne(record);
      }
    }
    replay.seek(history, endOffset);
  }

  private void replayOne(ConsumerRecord<String, byte[]> record) {
    HistoryRecord decoded;
    try {
      decoded = RecordCodec.decodeHistory(record.value());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Skipping undecodable history record {} at offset {}: {}",
          history,
          record.offset(),
          e.toString());
      return;
    }
    try {
      state.accept(decoded, record.offset());
    } catch (WindowReader.HistoryUnreadable e) {
      throw e; // The checkpoint is wrong, not this record: the takeover starts again without it.
    } catch (RuntimeException e) {
      LOG.warn(
          "Skipping history record {} at offset {} that cannot be applied: {}",
          history,
          record.offset(),
          e.toString());
    }
  }

  private long append(HistoryRecord record, String key) throws InterruptedException {
    try {
      Future<RecordMetadata> sent = send(record, key);
      producer.flush(); // A marker waits for nobody: the producer lingers for batches.
      return sent.get().offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot append to " + history + ": " + e.getCause(), e);
    }
  }

  private Future<RecordMetadata> send(HistoryRecord record, String key) {
    return producer.send(
        new ProducerRecord<>(
            history.topic(), history.partition(), key, RecordCodec.encode(record)));
  }
}

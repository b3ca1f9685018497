package io.tributary.sequencer;

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
 * marker and rebuilds the partition's state from history; {@link #handle} then turns uploads into
 * history records that carry this owner's epoch and token.
 */
final class PartitionSequencer {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionSequencer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int MAX_TAKEOVER_ATTEMPTS = 5;

  private final TopicPartition history;
  private final Producer<String, byte[]> producer;
  private final PartitionState state;
  private final SecureRandom random = new SecureRandom();
  private long epoch;
  private String token;

  private final SequencerMetrics metrics;

  PartitionSequencer(
      TopicPartition history,
      Producer<String, byte[]> producer,
      int windowLimit,
      SequencerMetrics metrics) {
    this.history = history;
    this.producer = producer;
    this.state = new PartitionState(windowLimit);
    this.metrics = metrics;
  }

  /**
   * Replays the partition, appends a marker and replays up to it; repeats with a higher epoch until
   * its own marker is the accepted one. Only then may this owner write.
   */
  void takeOver(Consumer<String, byte[]> replay) throws InterruptedException {
    replay.assign(List.of(history));
    replay.seekToBeginning(List.of(history));
    long end = replay.endOffsets(List.of(history)).get(history);
    replayUntil(replay, end);
    for (int attempt = 1; ; attempt++) {
      long candidateEpoch = state.fence().nextEpoch();
      String candidateToken = UUID.randomUUID().toString();
      long markerOffset = append(RecordCodec.marker(candidateEpoch, candidateToken), "");
      replayUntil(replay, markerOffset + 1);
      if (candidateToken.equals(state.fence().token())) {
        epoch = candidateEpoch;
        token = candidateToken;
        LOG.info("Took over {} with epoch {} at offset {}", history, epoch, markerOffset);
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

  /** Decides what an upload becomes and sends the resulting history records. */
  List<Future<RecordMetadata>> handle(UploadRecord upload) {
    ReplyTo replyTo = RecordCodec.fromAvro(upload.getReplyTo());
    UploadRequest request = RecordCodec.request(upload);
    String dataset = upload.getDataset();
    List<HistoryEvent> events = state.dataset(dataset).handle(replyTo, request, random::nextLong);
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    for (HistoryEvent event : events) {
      HistoryRecord record = RecordCodec.history(dataset, epoch, token, event);
      // Counted once Kafka has it: a failed write is integrated again by the next attempt.
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  history.topic(), history.partition(), dataset, RecordCodec.encode(record)),
              (written, error) -> {
                if (error == null) {
                  metrics.recorded(event);
                }
              }));
    }
    return sends;
  }

  long epoch() {
    return epoch;
  }

  private void replayUntil(Consumer<String, byte[]> replay, long endOffset) {
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
    try {
      state.accept(RecordCodec.decodeHistory(record.value()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Skipping undecodable history record {} at offset {}: {}",
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

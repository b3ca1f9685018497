package io.tributary.sequencer;

import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.SequencerSnapshot;
import io.tributary.schemas.CheckpointHeader;
import io.tributary.schemas.TakeoverNotice;
import io.tributary.schemas.codec.CheckpointCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * One history partition's checkpoints, in its partition of the checkpoints topic (compacted):
 *
 * <ul>
 *   <li>{@code chunk/<id>/<i>}: the datasets' states, one stream cut into chunks;
 *   <li>{@code header}: the newest checkpoint, written after its chunks;
 *   <li>{@code notice/<token>}: a takeover, announced right before each epoch marker it writes.
 * </ul>
 *
 * <p>Why a checkpoint is never wrong: an owner writes a header only for history it has had
 * acknowledged, and only if no other sequencer announced a takeover since its own last notice (the
 * one before its accepted marker). A marker that fences it out has a higher epoch, chosen after
 * reading this owner's marker, and its notice is written right before it: after this owner's
 * notice, and before the marker. So the owner sees it in time, and every record a header covers was
 * written before any such marker, and is accepted. A header from a replaced owner may still arrive
 * late; it is true, only older.
 */
final class CheckpointLog {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLog.class);
  static final int FORMAT = 1;
  private static final String HEADER = "header";
  private static final String NOTICE = "notice/";
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long HEADER_SEARCH = 1024;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** A checkpoint as read: its header and its datasets' states. */
  record Checkpoint(CheckpointHeader header, Map<String, SequencerSnapshot> datasets) {}

  private final TopicPartition partition;
  private final Producer<String, byte[]> producer;
  private final Consumer<String, byte[]> reader;
  private String ownToken;
  private long checkedUpTo;
  private CheckpointHeader last;

  CheckpointLog(
      TopicPartition partition,
      Producer<String, byte[]> producer,
      Consumer<String, byte[]> reader) {
    this.partition = partition;
    this.producer = producer;
    this.reader = reader;
  }

  /** Announces a takeover; returns once Kafka has it, so that it precedes the epoch marker. */
  void announce(String token) throws InterruptedException {
    ownToken = token;
    checkedUpTo = offsetOf(send(NOTICE + token, CheckpointCodec.encode(notice(token)))) + 1;
  }

  /** The newest checkpoint that can be read whole, if any. */
  Optional<Checkpoint> latest() {
    reader.assign(List.of(partition));
    long end = reader.endOffsets(List.of(partition)).get(partition);
    Optional<CheckpointHeader> found = newestHeader(end);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    CheckpointHeader header = found.get();
    if (header.getFormat() != FORMAT) {
      LOG.warn(
          "{}: checkpoint format {} is unknown; replaying history", partition, header.getFormat());
      return Optional.empty();
    }
    Optional<List<byte[]>> chunks = chunksOf(header, end);
    if (chunks.isEmpty()) {
      return Optional.empty();
    }
    try {
      Checkpoint checkpoint =
          new Checkpoint(header, CheckpointCodec.datasets(chunks.get(), header.getDatasets()));
      last = header;
      return Optional.of(checkpoint);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{}: checkpoint {} cannot be read ({}); replaying history",
          partition,
          header.getId(),
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * The last header before {@code end}: looked for near the end first (it is written after its
   * chunks, followed only by tombstones and notices), then further back, each step twice as far.
   */
  private Optional<CheckpointHeader> newestHeader(long end) {
    Optional<CheckpointHeader> header = Optional.empty();
    for (long to = end; to > 0 && header.isEmpty(); ) {
      long from = Math.max(0, to - (end - to + HEADER_SEARCH));
      header = lastHeader(from, to);
      to = from;
    }
    return header;
  }

  /**
   * Writes a checkpoint of the history before {@code nextOffset}: the fence and the datasets'
   * states there (in the order given), unless another sequencer has announced a takeover since this
   * one did; returns whether it wrote it. The previous checkpoint's chunks are deleted (tombstones)
   * once the new header is in.
   */
  boolean write(long nextOffset, EpochFence fence, Map<String, SequencerSnapshot> datasets)
      throws InterruptedException {
    if (anotherTakeoverAnnounced()) {
      return false;
    }
    List<byte[]> chunks = CheckpointCodec.chunks(datasets);
    String id = UUID.randomUUID().toString();
    List<Future<RecordMetadata>> sent = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      sent.add(send(chunkKey(id, i), chunks.get(i)));
    }
    long firstChunk = chunks.isEmpty() ? 0 : offsetOf(sent.get(0));
    for (Future<RecordMetadata> chunk : sent) {
      offsetOf(chunk);
    }
    CheckpointHeader header =
        new CheckpointHeader(
            FORMAT,
            id,
            nextOffset,
            fence.epoch(),
            fence.token(),
            fence.nextEpoch() - 1,
            datasets.size(),
            chunks.size(),
            firstChunk,
            System.currentTimeMillis());
    offsetOf(send(HEADER, CheckpointCodec.encode(header)));
    if (last != null) {
      for (int i = 0; i < last.getChunks(); i++) {
        send(chunkKey(last.getId(), i), null);
      }
      producer.flush();
    }
    last = header;
    return true;
  }

  /** Whether a sequencer other than this one has announced a takeover since this one did. */
  private boolean anotherTakeoverAnnounced() {
    reader.assign(List.of(partition));
    long end = reader.endOffsets(List.of(partition)).get(partition);
    reader.seek(partition, checkedUpTo);
    long deadline = deadline();
    while (reader.position(partition) < end) {
      checkDeadline(deadline);
      for (ConsumerRecord<String, byte[]> record : reader.poll(POLL).records(partition)) {
        if (record.offset() >= end) {
          break;
        }
        if (record.key() != null
            && record.key().startsWith(NOTICE)
            && !record.key().equals(NOTICE + ownToken)) {
          LOG.info(
              "{}: another sequencer announced a takeover; no more checkpoints from this one",
              partition);
          return true;
        }
      }
    }
    checkedUpTo = end;
    return false;
  }

  private Optional<CheckpointHeader> lastHeader(long from, long to) {
    CheckpointHeader found = null;
    reader.seek(partition, from);
    long deadline = deadline();
    while (reader.position(partition) < to) {
      checkDeadline(deadline);
      for (ConsumerRecord<String, byte[]> record : reader.poll(POLL).records(partition)) {
        if (record.offset() >= to) {
          break;
        }
        if (HEADER.equals(record.key()) && record.value() != null) {
          try {
            found = CheckpointCodec.decodeHeader(record.value());
          } catch (IOException | RuntimeException e) {
            LOG.warn(
                "{}: undecodable checkpoint header at {}: {}",
                partition,
                record.offset(),
                e.toString());
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private Optional<List<byte[]>> chunksOf(CheckpointHeader header, long end) {
    byte[][] chunks = new byte[header.getChunks()][];
    int found = 0;
    String prefix = "chunk/" + header.getId() + "/";
    reader.seek(partition, header.getFirstChunkOffset());
    long deadline = deadline();
    while (found < chunks.length && reader.position(partition) < end) {
      checkDeadline(deadline);
      for (ConsumerRecord<String, byte[]> record : reader.poll(POLL).records(partition)) {
        if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
          int index = chunkIndex(record.key().substring(prefix.length()));
          if (index >= 0 && index < chunks.length && chunks[index] == null) {
            chunks[index] = record.value();
            found++;
          }
        }
      }
    }
    if (found < chunks.length) {
      LOG.warn(
          "{}: checkpoint {} has {} of its {} chunks; replaying history",
          partition,
          header.getId(),
          found,
          chunks.length);
      return Optional.empty();
    }
    return Optional.of(List.of(chunks));
  }

  /** A chunk's index from its key, or -1 if the key holds none (then it is not one of ours). */
  private static int chunkIndex(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long deadline() {
    return System.nanoTime() + READ_TIMEOUT.toNanos();
  }

  /** Reading the checkpoints never hangs a takeover: past the deadline it replays history. */
  private void checkDeadline(long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(partition + " did not answer within " + READ_TIMEOUT);
    }
  }

  private static String chunkKey(String id, int index) {
    return "chunk/" + id + "/" + index;
  }

  private static TakeoverNotice notice(String token) {
    return new TakeoverNotice(token, System.currentTimeMillis());
  }

  private Future<RecordMetadata> send(String key, byte[] value) {
    return producer.send(
        new ProducerRecord<>(partition.topic(), partition.partition(), key, value));
  }

  private long offsetOf(Future<RecordMetadata> sent) throws InterruptedException {
    producer.flush();
    try {
      return sent.get().offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to " + partition + ": " + e.getCause(), e);
    }
  }
}

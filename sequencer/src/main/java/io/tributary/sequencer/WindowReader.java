package io.tributary.sequencer;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.WindowSource;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the changesets of a restored window from its history partition, by offset: in one pass over
 * a run of nearby offsets, with a seek across a wide gap.
 */
final class WindowReader {

  /** A gap wider than this many records is jumped by a seek rather than read through. */
  private static final long SEEK_ACROSS = 500;

  private static final Duration POLL = Duration.ofMillis(100);
  private static final long GIVE_UP_NANOS = Duration.ofSeconds(30).toNanos();

  private final TopicPartition history;
  private final Consumer<String, byte[]> consumer;

  WindowReader(TopicPartition history, Consumer<String, byte[]> consumer) {
    this.history = history;
    this.consumer = consumer;
  }

  /** The changesets of {@code dataset}'s window entries at these offsets; checks they are its. */
  WindowSource of(String dataset) {
    return positions -> changesetsAt(dataset, positions);
  }

  private List<Changeset> changesetsAt(String dataset, long[] positions) {
    try {
      return read(dataset, positions);
    } catch (org.apache.kafka.common.errors.WakeupException
        | org.apache.kafka.common.errors.InterruptException stopping) {
      throw stopping;
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new HistoryUnreadable(history + " cannot be read: " + e, e);
    }
  }

  private List<Changeset> read(String dataset, long[] positions) {
    List<Changeset> read = new ArrayList<>(positions.length);
    if (positions.length == 0) {
      return read;
    }
    consumer.assign(List.of(history));
    consumer.seek(history, positions[0]);
    long deadline = System.nanoTime() + GIVE_UP_NANOS;
    while (read.size() < positions.length) {
      if (System.nanoTime() > deadline) {
        throw new HistoryUnreadable(history + " did not return offset " + positions[read.size()]);
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(history)) {
        long wanted = positions[read.size()];
        if (record.offset() < wanted) {
          continue;
        }
        if (record.offset() > wanted) {
          throw new HistoryUnreadable(history + " has no record at offset " + wanted);
        }
        if (!dataset.equals(record.key())) {
          throw new HistoryUnreadable(
              history + " offset " + wanted + " is not " + dataset + "'s: " + record.key());
        }
        read.add(changesetOf(record));
        if (read.size() == positions.length) {
          break;
        }
        long next = positions[read.size()];
        if (next - record.offset() > SEEK_ACROSS) {
          consumer.seek(history, next);
          break; // The rest of this poll lies before the next offset wanted.
        }
      }
    }
    return read;
  }

  private Changeset changesetOf(ConsumerRecord<String, byte[]> record) {
    try {
      HistoryRecord decoded = RecordCodec.decodeHistory(record.value());
      if (!RecordCodec.isMarker(decoded)
          && RecordCodec.event(decoded) instanceof HistoryEvent.Integrated integrated) {
        return integrated.changeset();
      }
    } catch (IOException | RuntimeException e) {
      throw new HistoryUnreadable(
          history + " offset " + record.offset() + " cannot be decoded: " + e, e);
    }
    throw new HistoryUnreadable(
        history + " offset " + record.offset() + " holds no integrated changeset");
  }

  /** A window's entry cannot be read where its checkpoint says it is. */
  static final class HistoryUnreadable extends RuntimeException {
    HistoryUnreadable(String message) {
      super(message);
    }

    HistoryUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

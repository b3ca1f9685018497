package io.tributary.testkit;

import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a history partition the way every reader must: through the acceptance rule. */
public final class HistoryLog {

  /** One record as read, and whether the acceptance rule kept it. */
  public record Read(long offset, HistoryRecord record, boolean accepted) {}

  private HistoryLog() {}

  public static List<Read> read(String bootstrap, TopicPartition partition) {
    List<Read> reads = new ArrayList<>();
    EpochFence fence = new EpochFence();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "test-reader", null))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          HistoryRecord history = decode(record.value());
          boolean accepted =
              RecordCodec.isMarker(history)
                  ? fence.acceptMarker(history.getEpoch(), history.getToken())
                  : fence.accepts(history.getEpoch(), history.getToken());
          reads.add(new Read(record.offset(), history, accepted));
        }
      }
    }
    return reads;
  }

  /** The accepted events, markers left out. */
  public static List<HistoryEvent> accepted(String bootstrap, TopicPartition partition) {
    return read(bootstrap, partition).stream()
        .filter(read -> read.accepted() && !RecordCodec.isMarker(read.record()))
        .map(read -> RecordCodec.event(read.record()))
        .toList();
  }

  private static HistoryRecord decode(byte[] bytes) {
    try {
      return RecordCodec.decodeHistory(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

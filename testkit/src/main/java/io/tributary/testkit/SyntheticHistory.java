package io.tributary.testkit;

import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * History written straight to a partition for benchmarks, as one owner (epoch 1) would have written
 * it: millions of records in seconds, without a sequencer. And the bare read of a partition that
 * benchmarks compare against.
 */
public final class SyntheticHistory implements AutoCloseable {

  private static final long EPOCH = 1;
  private static final String TOKEN = "synthetic-owner";

  private final TopicPartition partition;
  private final KafkaProducer<String, byte[]> producer;

  /** A writer of {@code partition}; its first record is the owner's epoch marker. */
  public SyntheticHistory(String bootstrap, TopicPartition partition) {
    this.partition = partition;
    Properties props = KafkaSettings.producer(bootstrap, "synthetic-history");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.producer = new KafkaProducer<>(props);
    send("", RecordCodec.marker(EPOCH, TOKEN));
  }

  /** Appends {@code event} of {@code dataset}, accepted under the owner's epoch. */
  public void append(String dataset, HistoryEvent event) {
    send(dataset, RecordCodec.history(dataset, EPOCH, TOKEN, event));
  }

  private void send(String key, HistoryRecord record) {
    producer.send(
        new ProducerRecord<>(
            partition.topic(), partition.partition(), key, RecordCodec.encode(record)));
  }

  @Override
  public void close() {
    producer.flush();
    producer.close();
  }

  /** Reads {@code partition} from its start to its end without decoding; returns the count. */
  public static long readBare(String bootstrap, TopicPartition partition) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "bare-read", null))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long read = 0;
      while (consumer.position(partition) < end) {
        read += consumer.poll(Duration.ofMillis(100)).count();
      }
      return read;
    }
  }
}

package io.tributary.materializer;

import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.state.DatasetAtVersion;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A dataset's state at any server version, read from history alone: its history partition from the
 * start, under the same acceptance rule as every reader, decoding only the dataset's own records
 * and the epoch markers (the others are passed over by their key). No store is needed, so it works
 * on a cluster whose materializers are gone, and at versions no store keeps any more.
 */
public final class HistoryExport {

  private static final Duration POLL = Duration.ofMillis(200);

  private HistoryExport() {}

  /**
   * The dataset at {@code version} (its head if it has fewer), from the history topic of {@code
   * topics} on {@code bootstrap}. The dataset's partition is found as the gateways' producers find
   * it, over the partitions the topic has.
   */
  public static DatasetAtVersion read(
      String bootstrap, Topics topics, String dataset, long version) {
    String historyTopic = topics.history();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings(bootstrap))) {
      List<PartitionInfo> partitions = consumer.partitionsFor(historyTopic, Duration.ofSeconds(30));
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("there is no topic " + historyTopic + " on " + bootstrap);
      }
      Topics actual = new Topics(topics.prefix(), partitions.size(), topics.replicationFactor());
      TopicPartition partition = new TopicPartition(historyTopic, actual.partitionOf(dataset));
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      EpochFence fence = new EpochFence();
      DatasetAtVersion state = new DatasetAtVersion(version);
      while (consumer.position(partition) < end && !state.reached()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL).records(partition)) {
          if (record.offset() >= end || state.reached()) {
            break;
          }
          if (dataset.equals(record.key()) || "".equals(record.key())) {
            apply(record, fence, dataset, state);
          }
        }
      }
      return state;
    }
  }

  private static void apply(
      ConsumerRecord<String, byte[]> record,
      EpochFence fence,
      String dataset,
      DatasetAtVersion state) {
    HistoryRecord decoded;
    try {
      decoded = RecordCodec.decodeHistory(record.value());
    } catch (IOException | RuntimeException e) {
      return; // The materializer skips an undecodable record too.
    }
    if (RecordCodec.isMarker(decoded)) {
      fence.acceptMarker(decoded.getEpoch(), decoded.getToken());
    } else if (fence.accepts(decoded.getEpoch(), decoded.getToken())
        && dataset.equals(decoded.getDataset())) {
      state.apply(RecordCodec.event(decoded));
    }
  }

  private static Properties settings(String bootstrap) {
    Properties props = KafkaSettings.consumer(bootstrap, "tributary-export", null);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return props;
  }
}

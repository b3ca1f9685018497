package io.tributary.gateway;

import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.TailingConsumer;
import io.tributary.kafka.Topics;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the downloads topic, from its end when the gateway starts, and hands
 * each record to the sessions. It needs no committed offsets: a session that missed something
 * catches up from the materializer. It runs under the roles' restart rule ({@link RoleThread}): a
 * failure is logged and the listener starts again after the record that failed, so that one bad
 * record never leaves a gateway up that pushes nothing.
 */
final class DownloadsListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadsListener.class);

  /** Where a materialized history event goes: the sessions of its dataset, or its addressee. */
  @FunctionalInterface
  interface Dispatcher {
    void dispatch(String dataset, HistoryEvent event, long salt, long historyBytes);

    /** Returns once there is room for more, or once {@code running} turns false. */
    default void awaitRoom(BooleanSupplier running) {}
  }

  private final String bootstrap;
  private final String clientId;
  private final Topics topics;
  private final Dispatcher dispatcher;
  private final java.util.function.LongConsumer arrived;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final RoleThread loop;

  /** Where to read on, by partition: kept over restarts; empty until the first start. */
  private final Map<TopicPartition, Long> next = new HashMap<>();

  DownloadsListener(String bootstrap, String clientId, Topics topics, Dispatcher dispatcher) {
    this(bootstrap, clientId, topics, dispatcher, nanos -> {});
  }

  /**
   * @param arrived told, for each download, how long after the materializer published it the
   *     listener hands it on (the fan-out's Kafka hop and the listener's wait)
   */
  DownloadsListener(
      String bootstrap,
      String clientId,
      Topics topics,
      Dispatcher dispatcher,
      java.util.function.LongConsumer arrived) {
    this.bootstrap = bootstrap;
    this.clientId = clientId;
    this.topics = topics;
    this.dispatcher = dispatcher;
    this.arrived = arrived;
    this.loop = new RoleThread(clientId, LOG, "reading downloads again", this::listen);
  }

  /** Starts reading; returns once positioned at the end of every partition. */
  DownloadsListener start() throws InterruptedException {
    loop.start();
    ready.await();
    return this;
  }

  private void listen() {
    try (KafkaConsumer<String, byte[]> consumer = new TailingConsumer(bootstrap, clientId)) {
      loop.wakeOnClose(consumer);
      position(consumer);
      ready.countDown();
      while (loop.running()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(KafkaSettings.IDLE_POLL)) {
          dispatcher.awaitRoom(loop::running);
          next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
          dispatch(record);
          arrived.accept(
              java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                  Math.max(0, System.currentTimeMillis() - record.timestamp())));
        }
      }
    } finally {
      ready.countDown(); // A first attempt that fails does not hold the gateway's start.
    }
  }

  /** At the end of every partition the first time; after a failure, where it stopped. */
  private void position(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topics.downloads(), Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    for (TopicPartition partition : partitions) {
      Long resume = next.get(partition);
      if (resume != null) {
        consumer.seek(partition, resume);
      }
      next.put(partition, consumer.position(partition)); // Resolved now, not lazily.
    }
  }

  /** Hands a record on; one that cannot be decoded is skipped, anything else fails the loop. */
  private void dispatch(ConsumerRecord<String, byte[]> record) {
    DownloadRecord download;
    try {
      download = RecordCodec.decodeDownload(record.value());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipping undecodable download at offset {}: {}", record.offset(), e.toString());
      return;
    }
    HistoryRecord history = download.getHistory();
    if (!RecordCodec.isMarker(history)) {
      dispatcher.dispatch(
          history.getDataset(),
          RecordCodec.event(history),
          download.getSalt(),
          download.getHistoryBytes());
    }
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
  }
}

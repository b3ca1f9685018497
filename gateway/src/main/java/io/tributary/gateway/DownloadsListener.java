package io.tributary.gateway;

import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the downloads topic from its end and hands each record to the session
 * registry. It needs no committed offsets: a session that missed something catches up from the
 * materializer.
 */
final class DownloadsListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DownloadsListener.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topics topics;
  private final SessionRegistry registry;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  DownloadsListener(String bootstrap, Topics topics, SessionRegistry registry) {
    this.consumer =
        new KafkaConsumer<>(
            KafkaSettings.consumer(bootstrap, registry.gatewayId() + "-downloads", null));
    this.topics = topics;
    this.registry = registry;
    this.thread = new Thread(this::run, registry.gatewayId() + "-downloads");
  }

  /** Starts reading; returns once positioned at the end of every partition. */
  DownloadsListener start() throws InterruptedException {
    thread.start();
    ready.await();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.downloads(), Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // Resolve the end offsets now, not lazily.
      ready.countDown();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          dispatch(record);
        }
      }
    } catch (WakeupException e) {
      // close() was called.
    } catch (RuntimeException e) {
      LOG.error("Downloads listener stopped", e);
    } finally {
      ready.countDown();
      consumer.close();
      stopped.countDown();
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    try {
      DownloadRecord download = RecordCodec.decodeDownload(record.value());
      HistoryRecord history = download.getHistory();
      if (!RecordCodec.isMarker(history)) {
        registry.dispatch(
            history.getDataset(),
            RecordCodec.event(history),
            download.getSalt(),
            download.getHistoryBytes());
      }
    } catch (Exception e) {
      LOG.warn("Skipping undecodable download at offset {}: {}", record.offset(), e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    stopped.await();
  }
}

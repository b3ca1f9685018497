package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The downloads listener lives under the roles' restart rule: a failure does not end it. */
class DownloadsListenerTest {

  @Test
  void aFailureWhileDispatchingRestartsTheListenerAfterTheFailedRecord() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    List<Long> dispatched = new CopyOnWriteArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    DownloadsListener.Dispatcher failingOnce =
        (dataset, event, salt, bytes) -> {
          long version = ((HistoryEvent.Integrated) event).version();
          if (version == 1 && failed.compareAndSet(false, true)) {
            throw new IllegalStateException("a bug in a session, say");
          }
          dispatched.add(version);
        };
    try (DownloadsListener listener =
            new DownloadsListener(TestKafka.bootstrap(), "test-downloads", topics, failingOnce)
                .start();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.producer(TestKafka.bootstrap(), "test"))) {
      for (long version = 1; version <= 3; version++) {
        producer.send(new ProducerRecord<>(topics.downloads(), "tasks", download(version))).get();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> dispatched.size() == 2);
      assertThat(failed).isTrue();
      assertThat(dispatched).as("on after the record that failed").containsExactly(2L, 3L);

      producer.send(new ProducerRecord<>(topics.downloads(), "tasks", download(4))).get();
      await().atMost(Duration.ofSeconds(30)).until(() -> dispatched.contains(4L));
    }
  }

  private static byte[] download(long version) {
    HistoryEvent.Integrated integrated =
        new HistoryEvent.Integrated(version, new Changeset(version, version - 1, 1, 9, List.of()));
    return RecordCodec.encode(
        new DownloadRecord(RecordCodec.history("tasks", 1, "token", integrated), version, version));
  }
}

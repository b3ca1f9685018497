package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.kafka.KafkaSettings;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records that are not ours land in the topics (a foreign producer, a bug): the sequencer and the
 * materializer skip them and go on serving.
 */
class PoisonRecordsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void garbageInTheUploadsAndHistoryTopicsStopsNothing() {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(TestKafka.bootstrap(), "poison"))) {
      for (int partition = 0; partition < server.topics().partitions(); partition++) {
        byte[] garbage = {(byte) 0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        producer.send(new ProducerRecord<>(server.topics().uploads(), partition, "tasks", garbage));
        producer.send(
            new ProducerRecord<>(server.topics().history(), partition, "tasks", new byte[] {42}));
      }
      producer.flush();
    }

    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
    client.connect().join();
    client.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("still synced")));

    await().atMost(PATIENCE).until(() -> client.clientIdent() != 0 && client.pendingCount() == 0);
    SyncClient other = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
    other.connect().join();
    await().atMost(PATIENCE).until(() -> other.objects().containsKey(new ObjectKey("Task", 1)));
    assertThat(other.objects().get(new ObjectKey("Task", 1)))
        .containsEntry("text", Value.of("still synced"));
    client.close();
    other.close();
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code checkpointEvery}: the sequencer checkpoints a partition after that many records. */
class CheckpointSettingTest {

  @TempDir Path dir;

  @Test
  void theSequencerCheckpointsAsOftenAsItIsTold() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    try (SyncServer server =
            SyncServer.start(
                new SyncServer.Options(
                        Files.createDirectories(dir.resolve("data")),
                        Main.loadModel(Fixtures.exampleModel()),
                        "127.0.0.1",
                        0,
                        TestKafka.bootstrap(),
                        topics)
                    .withSequencer(
                        new SyncServer.SequencerOptions(
                            SyncServer.SequencerOptions.DEFAULTS.sessionTimeout(), 1_000)));
        SyncClient client =
            new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")) {
      client.connect().join();
      for (long id = 1; id <= 980; id++) {
        long task = id;
        client.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of("t")));
      }
      assertThat(client.awaitSynced(Duration.ofSeconds(60))).isTrue();
      assertThat(checkpoints(topics)).as("980 records: none due yet").isZero();

      for (long id = 981; id <= 1_030; id++) {
        long task = id;
        client.write(tx -> tx.create("Task", task));
      }
      assertThat(client.awaitSynced(Duration.ofSeconds(60))).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints(topics) > 0);
    }
  }

  /** How many checkpoints the checkpoints topic holds: their headers, which end each one. */
  private static long checkpoints(Topics topics) {
    TopicPartition partition = new TopicPartition(topics.checkpoints(), 0);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(TestKafka.bootstrap(), "checkpoints", null))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
      long headers = 0;
      while (consumer.position(partition, Duration.ofSeconds(10)) < end) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if ("header".equals(record.key())) {
            headers++;
          }
        }
      }
      return headers;
    }
  }
}

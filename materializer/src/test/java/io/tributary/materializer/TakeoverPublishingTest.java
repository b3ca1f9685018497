package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.IntegratedEvent;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A materializer that applied records but crashed before noting their downloads as published
 * publishes them when it takes the partition again: judged by the fence as it stood then, not as it
 * stands now, so that neither records of an owner replaced later are lost nor a zombie's published.
 */
class TakeoverPublishingTest {

  private static final String DATASET = "moving";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @org.junit.jupiter.api.extension.RegisterExtension
  static final CountedMeters METERS = new CountedMeters();

  @TempDir Path store;

  @Test
  void downloadsAppliedButNeverNotedAsPublishedArePublishedOnTakeover() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    TopicPartition history = new TopicPartition(topics.history(), 0);
    // Offsets: 0 the first owner's marker; 1 the client's ident; 2-21 versions 1-20; 22 a new
    // owner's marker; 23 a record of the replaced owner (a zombie's, never accepted); 24-53
    // versions 21-50.
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(bootstrap, "takeover-test"))) {
      send(producer, history, RecordCodec.marker(1, "first"));
      send(
          producer,
          history,
          RecordCodec.history(
              DATASET,
              1,
              "first",
              new HistoryEvent.IdentAllocated(1, 7, new ReplyTo("test", 1, 1))));
      for (long version = 1; version <= 20; version++) {
        send(producer, history, integrated(1, "first", version));
      }
      send(producer, history, RecordCodec.marker(2, "second"));
      send(producer, history, integrated(1, "first", 21));
      for (long version = 21; version <= 50; version++) {
        send(producer, history, integrated(2, "second", version));
      }
      producer.flush();
    }
    MaterializerConfig config =
        new MaterializerConfig(bootstrap, topics, false)
            .inGroup(MaterializerConfig.Group.withStandbys(0));
    try (RocksStore rocks = RocksStore.open(store)) {
      try (MaterializerService first = new MaterializerService(config, rocks)) {
        first.start("http://127.0.0.1:1");
        await().atMost(PATIENCE).until(() -> committed(bootstrap, config, history) == 54);
        assertThat(rocks.head(DATASET)).isEqualTo(50);
      }
      // The crash: versions 10-50 were applied, but their downloads never noted as published.
      recommit(bootstrap, config, history, 11);
      try (KafkaConsumer<String, byte[]> downloads = tailing(bootstrap, topics);
          MaterializerService second = new MaterializerService(config, rocks)) {
        second.start("http://127.0.0.1:1");

        List<Long> versions = new ArrayList<>();
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () -> {
                  for (ConsumerRecord<String, byte[]> r : downloads.poll(Duration.ofMillis(200))) {
                    versions.add(version(r));
                  }
                  assertThat(versions).hasSize(41);
                });
        assertThat(versions).containsExactlyElementsOf(range(10, 50));
        assertThat(
                METERS.find("tributary.materializer.downloads.republished").counters().stream()
                    .mapToDouble(io.micrometer.core.instrument.Counter::count)
                    .sum())
            .as("counted as published again")
            .isEqualTo(41);
        assertThat(rocks.head(DATASET)).as("applied once").isEqualTo(50);
        assertThat(rocks.history(DATASET, 0, Integer.MAX_VALUE, 0).entries()).hasSize(50);
      }
    }
  }

  /**
   * A member that takes a partition over with a store behind the partition's end answers its reads
   * only once it has caught up: a client may hold versions the store does not have yet, and would
   * be told its history is not the server's.
   */
  @Test
  void aTakenPartitionIsServedOnlyOnceTheStoreHasCaughtUp() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    long versions = 100_000;
    try (io.tributary.testkit.SyntheticHistory history =
        new io.tributary.testkit.SyntheticHistory(
            bootstrap, new TopicPartition(topics.history(), 0))) {
      history.append(DATASET, new HistoryEvent.IdentAllocated(1, 7, new ReplyTo("test", 1, 1)));
      for (long version = 1; version <= versions; version++) {
        history.append(DATASET, integratedEvent(version));
      }
    }
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    MaterializerConfig config =
        new MaterializerConfig(bootstrap, topics, false)
            .inGroup(MaterializerConfig.Group.withStandbys(0));
    try (RocksStore rocks = RocksStore.open(store);
        MaterializerService member = new MaterializerService(config, rocks)) {
      int port =
          ReadApi.start(vertx, rocks, member::currentSchema, member::serves, "127.0.0.1", 0)
              .await()
              .actualPort();
      member.start("http://127.0.0.1:" + port);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest head =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "http://127.0.0.1:" + port + "/v1/datasets/" + DATASET + "/head"))
              .build();
      java.util.concurrent.atomic.AtomicReference<java.net.http.HttpResponse<String>> answer =
          new java.util.concurrent.atomic.AtomicReference<>();
      List<Integer> statuses = new ArrayList<>();
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                answer.set(http.send(head, java.net.http.HttpResponse.BodyHandlers.ofString()));
                statuses.add(answer.get().statusCode());
                return answer.get().statusCode() == 200;
              });
      assertThat(answer.get().body())
          .as("the first answer is the whole store")
          .isEqualTo("{\"head\":" + versions + "}");
      assertThat(statuses).as("refused until caught up").contains(421);
    } finally {
      vertx.close().await();
    }
  }

  private static HistoryEvent integratedEvent(long version) {
    return new HistoryEvent.Integrated(
        version,
        new Changeset(
            version,
            version - 1,
            version,
            1,
            List.of(new Instruction.CreateObject(new ObjectKey("Task", version)))));
  }

  private static HistoryRecord integrated(long epoch, String token, long version) {
    Changeset changeset =
        new Changeset(
            version,
            version - 1,
            version,
            1,
            List.of(new Instruction.CreateObject(new ObjectKey("Task", version))));
    return RecordCodec.history(
        DATASET, epoch, token, new HistoryEvent.Integrated(version, changeset));
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, TopicPartition partition, HistoryRecord record) {
    producer.send(
        new ProducerRecord<>(
            partition.topic(), partition.partition(), DATASET, RecordCodec.encode(record)));
  }

  private static long version(ConsumerRecord<String, byte[]> record) throws Exception {
    DownloadRecord download = RecordCodec.decodeDownload(record.value());
    return ((IntegratedEvent) download.getHistory().getEvent()).getVersion();
  }

  private static List<Long> range(long from, long to) {
    List<Long> versions = new ArrayList<>();
    for (long v = from; v <= to; v++) {
      versions.add(v);
    }
    return versions;
  }

  private static KafkaConsumer<String, byte[]> tailing(String bootstrap, Topics topics) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "downloads-probe", null));
    TopicPartition downloads = new TopicPartition(topics.downloads(), 0);
    consumer.assign(List.of(downloads));
    consumer.seekToEnd(List.of(downloads));
    consumer.position(downloads);
    return consumer;
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static long committed(String bootstrap, MaterializerConfig config, TopicPartition p)
      throws Exception {
    try (Admin admin = admin(bootstrap)) {
      OffsetAndMetadata mark =
          admin
              .listConsumerGroupOffsets(config.groupId())
              .partitionsToOffsetAndMetadata()
              .get()
              .get(p);
      return mark == null ? -1 : mark.offset();
    }
  }

  private static void recommit(
      String bootstrap, MaterializerConfig config, TopicPartition p, long offset) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      admin
          .alterConsumerGroupOffsets(config.groupId(), Map.of(p, new OffsetAndMetadata(offset)))
          .all()
          .get();
    }
  }
}

package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4: replaying history into an empty materializer gives the same state, byte for byte.
 */
class ReplayTest {

  private static final String DATASET = "replayed";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path live;
  @TempDir Path rebuilt;

  @Test
  void anEmptyStoreReplaysHistoryToTheSameBytes() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(2);
    long seed = System.nanoTime();
    System.out.println("ReplayTest seed=" + seed);
    Random random = new Random(seed);

    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(bootstrap, "replay-test"))) {
      write(producer, topics, 0, RecordCodec.marker(1, "owner-1"));
      write(
          producer,
          topics,
          0,
          event(1, "owner-1", new IdentAllocated(1, 77, new ReplyTo("g", 1, 1))));
      long version = 0;
      // A restart of the live materializer halfway must not apply anything twice.
      try (Running first = materializer(bootstrap, topics, live)) {
        for (; version < 200; version++) {
          write(producer, topics, 0, event(1, "owner-1", integrated(version + 1, random)));
        }
        producer.flush();
        awaitHead(first.store(), 200);
      }
      write(producer, topics, 0, RecordCodec.marker(2, "owner-2"));
      // A zombie's late record: ignored by every reader.
      write(producer, topics, 0, event(1, "owner-1", integrated(version + 1, random)));
      for (; version < 400; version++) {
        write(producer, topics, 0, event(2, "owner-2", integrated(version + 1, random)));
      }
      producer.flush();
    }

    try (Running resumed = materializer(bootstrap, topics, live);
        Running fresh = materializer(bootstrap, topics, rebuilt)) {
      awaitHead(resumed.store(), 400);
      awaitHead(fresh.store(), 400);
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(dump(fresh.store())).isEqualTo(dump(resumed.store())));
      assertThat(resumed.store().objects(DATASET)).isNotEmpty();
      assertThat(resumed.store().client(DATASET, 1).orElseThrow().lastIntegratedVersion())
          .isEqualTo(400);
    }
  }

  /** A materializer with its own store; closing it closes both. */
  private record Running(MaterializerService service, RocksStore store) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      service.close();
      store.close();
    }
  }

  private static Running materializer(String bootstrap, Topics topics, Path dir) {
    RocksStore store = RocksStore.open(dir);
    return new Running(
        new MaterializerService(new MaterializerConfig(bootstrap, topics), store).start(), store);
  }

  private static void awaitHead(RocksStore store, long head) {
    await().atMost(PATIENCE).until(() -> store.head(DATASET) == head);
  }

  private static List<String> dump(RocksStore store) {
    return store.dump().stream()
        .map(
            kv ->
                java.util.HexFormat.of().formatHex(kv[0])
                    + "="
                    + java.util.HexFormat.of().formatHex(kv[1]))
        .toList();
  }

  private static Integrated integrated(long version, Random random) {
    long id = 1 + random.nextInt(20);
    ObjectKey key = new ObjectKey("Task", id);
    List<Instruction> instructions =
        random.nextInt(10) == 0
            ? List.of(new Instruction.EraseObject(key))
            : List.of(
                new Instruction.CreateObject(key),
                new Instruction.Update(key, "priority", Value.of(random.nextLong())),
                new Instruction.Update(key, "text", Value.of("v" + version)));
    return new Integrated(
        version, new Changeset(version, version - 1, 1_000 + version, 1, instructions));
  }

  private static HistoryRecord event(long epoch, String token, HistoryEvent event) {
    return RecordCodec.history(DATASET, epoch, token, event);
  }

  private static void write(
      KafkaProducer<String, byte[]> producer, Topics topics, int partition, HistoryRecord record) {
    producer.send(
        new ProducerRecord<>(
            topics.history(), partition, record.getDataset(), RecordCodec.encode(record)));
  }
}

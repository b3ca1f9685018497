package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.model.ModelParser;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.SyntheticHistory;
import io.tributary.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change events in a group of materializers: a standby computes the events of what it applies and
 * keeps them until the active has published theirs, so that on a takeover it sends the events the
 * active never did, and otherwise drops them.
 */
class StandbyChangeEventsTest {

  private static final String DATASET = "standby-events";
  private static final int VERSIONS = 200;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @org.junit.jupiter.api.extension.RegisterExtension
  static final CountedMeters METERS = new CountedMeters();

  @TempDir Path firstStore;
  @TempDir Path secondStore;

  @Test
  void theStandbySendsTheEventsThatTheActiveNeverSent() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    writeHistory(bootstrap, topics);
    try (Pair pair = Pair.start(inGroup(bootstrap, topics), firstStore, secondStore)) {
      // No schema version yet: nothing can be published, every event waits in an outbox.
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  pair.applied()
                      && (pair.first().service().serves(DATASET)
                          || pair.second().service().serves(DATASET)));
      boolean firstIsActive = pair.first().service().serves(DATASET);
      RunningMaterializer active = firstIsActive ? pair.first() : pair.second();
      RunningMaterializer standby = firstIsActive ? pair.second() : pair.first();
      assertThat(outbox(active.store())).as("the active's unsent events").hasSize(VERSIONS);
      assertThat(outbox(standby.store())).as("the standby's held events").hasSize(VERSIONS);

      // The active goes, its events never sent; a schema version comes.
      active.service().close();
      new SchemaVersions(bootstrap, topics)
          .register(ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks"));

      assertThat(awaitChangedObjects(bootstrap, topics)).hasSize(VERSIONS);
      await().atMost(PATIENCE).until(() -> outbox(standby.store()).isEmpty());
    }
  }

  @Test
  void theStandbyDropsTheEventsThatTheActivePublished() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    new SchemaVersions(bootstrap, topics)
        .register(ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks"));
    writeHistory(bootstrap, topics);
    try (Pair pair = Pair.start(inGroup(bootstrap, topics), firstStore, secondStore);
        ChangesReader changes = new ChangesReader(bootstrap, topics)) {
      assertThat(changes.awaitObjects(VERSIONS)).hasSize(VERSIONS);
      // Only the active sends: no event comes twice, now or in the next two seconds.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> changes.keys().size() == VERSIONS);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  pair.applied()
                      && outbox(pair.first().store()).isEmpty()
                      && outbox(pair.second().store()).isEmpty());
      assertThat(partitionsHeld("active")).isEqualTo(1);
      assertThat(partitionsHeld("standby")).isEqualTo(1);
    }
  }

  @Test
  void anOutboxFromBeforePartitionsIsStillSent() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    new SchemaVersions(bootstrap, topics)
        .register(ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks"));
    // An event an active of an earlier version applied and had not sent when it stopped.
    try (RocksStore old = RocksStore.open(firstStore)) {
      old.putUnpartitionedOutbox(
          0,
          new PendingEvent(
              0,
              0,
              new io.tributary.core.events.ChangeEvent(
                  DATASET,
                  new ObjectKey("Task", 999),
                  io.tributary.core.events.ChangeEvent.Operation.CREATE,
                  java.util.Optional.empty(),
                  java.util.Optional.of(new java.util.TreeMap<>()),
                  new java.util.TreeSet<>(),
                  1,
                  1,
                  1)));
    }
    writeHistory(bootstrap, topics);
    try (Pair pair = Pair.start(inGroup(bootstrap, topics), firstStore, secondStore);
        ChangesReader changes = new ChangesReader(bootstrap, topics)) {
      // Whichever role its member has now, the old event goes out, beside every new one.
      assertThat(changes.awaitObjects(VERSIONS + 1)).anyMatch(key -> key.contains("999"));
      assertThat(pair.first().store().unpartitionedOutbox(10)).isEmpty();
    }
  }

  /** Two members of one group, each with a store of its own. */
  private record Pair(RunningMaterializer first, RunningMaterializer second)
      implements AutoCloseable {

    static Pair start(MaterializerConfig config, Path firstStore, Path secondStore) {
      return new Pair(member(config, firstStore, 1), member(config, secondStore, 2));
    }

    private static RunningMaterializer member(MaterializerConfig config, Path dir, int port) {
      RocksStore store = RocksStore.open(dir);
      MaterializerService service = new MaterializerService(config, store);
      service.start("http://127.0.0.1:" + port);
      return new RunningMaterializer(service, store);
    }

    /** Both stores hold every version. */
    boolean applied() {
      return first.store().head(DATASET) == VERSIONS && second.store().head(DATASET) == VERSIONS;
    }

    @Override
    public void close() throws InterruptedException {
      first.close();
      second.close();
    }
  }

  /** The partitions the running members hold in {@code role}, as their metrics tell. */
  private static double partitionsHeld(String role) {
    return METERS.find("tributary.materializer.partitions").tag("role", role).gauges().stream()
        .mapToDouble(io.micrometer.core.instrument.Gauge::value)
        .sum();
  }

  private static MaterializerConfig inGroup(String bootstrap, Topics topics) {
    return new MaterializerConfig(bootstrap, topics, true)
        .inGroup(MaterializerConfig.Group.withStandbys(1));
  }

  /** Versions 1 to {@link #VERSIONS}, each creating the task of its number. */
  private static void writeHistory(String bootstrap, Topics topics) {
    try (SyntheticHistory history =
        new SyntheticHistory(bootstrap, new TopicPartition(topics.history(), 0))) {
      history.append(DATASET, new HistoryEvent.IdentAllocated(1, 7, new ReplyTo("test", 1, 1)));
      for (long version = 1; version <= VERSIONS; version++) {
        history.append(
            DATASET,
            new HistoryEvent.Integrated(
                version,
                new Changeset(
                    version,
                    version - 1,
                    version,
                    1,
                    List.of(new Instruction.CreateObject(new ObjectKey("Task", version))))));
      }
    }
  }

  private static List<RocksStore.OutboxEntry> outbox(RocksStore store) {
    return store.outbox(0, 0, Integer.MAX_VALUE);
  }

  /** The change events topic, read from its start, as record keys in order. */
  private static final class ChangesReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> keys = new java.util.ArrayList<>();

    ChangesReader(String bootstrap, Topics topics) {
      var settings = KafkaSettings.consumer(bootstrap, "standby-events-reader", null);
      settings.put(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      settings.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(settings);
      TopicPartition changes = new TopicPartition(topics.changes(), 0);
      consumer.assign(List.of(changes));
      consumer.seekToBeginning(List.of(changes));
    }

    /** Every record read so far, after reading what has come. */
    List<String> keys() {
      consumer
          .poll(Duration.ofMillis(200))
          .forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
      return keys;
    }

    /** The objects with events, once there are {@code objects} of them. */
    Set<String> awaitObjects(int objects) {
      await().atMost(PATIENCE).until(() -> new HashSet<>(keys()).size() >= objects);
      return new HashSet<>(keys);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The keys of the objects the change events topic has events of, once it has them all. */
  private static Set<String> awaitChangedObjects(String bootstrap, Topics topics) {
    try (ChangesReader reader = new ChangesReader(bootstrap, topics)) {
      return reader.awaitObjects(VERSIONS);
    }
  }
}

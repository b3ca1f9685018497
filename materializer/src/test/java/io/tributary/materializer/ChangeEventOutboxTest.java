package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.ModelParser;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.sequencer.SequencerConfig;
import io.tributary.sequencer.SequencerService;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change events leave through the store's outbox: written in the batch that applies their
 * changeset, kept while they cannot be published (here: before any schema version exists), sent
 * after a restart, and the same again, byte for byte, when a new materializer replays history. The
 * last event of every object is what the store holds.
 *
 * <p>{@code -Dchanges.seed=S} replays a run.
 */
class ChangeEventOutboxTest {

  private static final String DATASET = "outbox";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path live;
  @TempDir Path rebuilt;

  @Test
  void eventsWaitInTheOutboxAndReplayToTheSameRecords() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(2);
    long seed = Long.getLong("changes.seed", System.nanoTime());
    System.out.println("ChangeEventOutboxTest seed " + seed + " (-Dchanges.seed=" + seed + ")");
    int changesets = upload(bootstrap, topics, new Random(seed), live);

    RocksStore store = RocksStore.open(live);
    List<RocksStore.OutboxEntry> waiting = new ArrayList<>();
    for (int partition : store.outboxPartitions()) {
      waiting.addAll(store.outbox(partition, 0, Integer.MAX_VALUE));
    }
    assertThat(waiting).hasSizeGreaterThan(changesets / 2);
    assertThat(readChanges(bootstrap, topics, 0)).isEmpty();
    store.close();

    new SchemaVersions(bootstrap, topics)
        .register(ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks"));
    List<ConsumerRecord<byte[], byte[]>> published;
    try (RunningMaterializer resumed = RunningMaterializer.start(bootstrap, topics, live)) {
      published = readChanges(bootstrap, topics, waiting.size());
      await().atMost(PATIENCE).until(() -> resumed.store().outboxPartitions().isEmpty());
      assertLastEventsAreTheState(published, resumed.store());
    }

    try (RunningMaterializer fresh = RunningMaterializer.start(bootstrap, topics, rebuilt)) {
      List<ConsumerRecord<byte[], byte[]>> all =
          readChanges(bootstrap, topics, 2 * published.size());
      assertThat(bytesByPartition(all.subList(published.size(), all.size())))
          .isEqualTo(bytesByPartition(published));
      await().atMost(PATIENCE).until(() -> fresh.store().outboxPartitions().isEmpty());
    }
  }

  @Test
  void aCompactedTopicGetsATombstoneAfterEachDelete() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopicsWithCompactedChanges(1);
    new SchemaVersions(bootstrap, topics)
        .register(ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks"));
    ObjectKey task = new ObjectKey("Task", 1);
    try (SequencerService sequencer =
            new SequencerService(SequencerConfig.defaults(bootstrap).withTopics(topics)).start();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.producer(bootstrap, "outbox-test"));
        RunningMaterializer running = RunningMaterializer.start(bootstrap, topics, live);
        org.apache.kafka.clients.admin.Admin admin =
            org.apache.kafka.clients.admin.Admin.create(
                Map.of(
                    org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap))) {
      publish(producer, topics, new UploadRequest.AllocateIdent());
      await().atMost(PATIENCE).until(() -> running.store().client(DATASET, 1).isPresent());
      publish(
          producer,
          topics,
          new UploadRequest.UploadChangesets(
              1,
              List.of(
                  new Changeset(1, 0, 1_000, 1, List.of(new Instruction.CreateObject(task))),
                  new Changeset(2, 1, 2_000, 1, List.of(new Instruction.EraseObject(task))))));

      List<ConsumerRecord<byte[], byte[]>> records = readChanges(bootstrap, topics, 3);
      assertThat(records.get(0).value()).isNotNull();
      assertThat(records.get(1).value()).isNotNull();
      assertThat(records.get(2).value()).as("a tombstone after the delete").isNull();
      assertThat(records.get(2).key()).isEqualTo(records.get(1).key());
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topics.changes());
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
    }
  }

  /** Random changesets through a real sequencer, materialized while no schema version exists. */
  private int upload(String bootstrap, Topics topics, Random random, Path dir) throws Exception {
    int count = 0;
    try (SequencerService sequencer =
            new SequencerService(SequencerConfig.defaults(bootstrap).withTopics(topics)).start();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.producer(bootstrap, "outbox-test"));
        RunningMaterializer running = RunningMaterializer.start(bootstrap, topics, dir)) {
      publish(producer, topics, new UploadRequest.AllocateIdent());
      await().atMost(PATIENCE).until(() -> running.store().client(DATASET, 1).isPresent());
      for (int version = 1; version <= 40; version++) {
        Changeset changeset =
            new Changeset(version, version - 1, 1_000L * version, 1, instructions(random));
        publish(producer, topics, new UploadRequest.UploadChangesets(1, List.of(changeset)));
        count++;
      }
      producer.flush();
      int expected = count;
      await().atMost(PATIENCE).until(() -> running.store().head(DATASET) == expected);
    }
    return count;
  }

  private static List<Instruction> instructions(Random random) {
    List<Instruction> instructions = new ArrayList<>();
    ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(5));
    instructions.add(new Instruction.CreateObject(key));
    instructions.add(new Instruction.Update(key, "text", Value.of("t" + random.nextInt(1000))));
    switch (random.nextInt(5)) {
      case 0 -> instructions.add(new Instruction.EraseObject(key));
      case 1 -> instructions.add(new Instruction.AddInteger(key, "priority", 1));
      case 2 -> instructions.add(new Instruction.SetInsert(key, "tags", 1 + random.nextInt(3)));
      case 3 ->
          instructions.add(new Instruction.ArrayInsert(key, "checklist", 0, Value.of("item")));
      default -> instructions.add(new Instruction.Update(key, "done", Value.of(true)));
    }
    return instructions;
  }

  /** For every object, its last event says what the store holds: its state, or deleted. */
  private static void assertLastEventsAreTheState(
      List<ConsumerRecord<byte[], byte[]>> records, RocksStore store) {
    JsonConverter keys = converter(true);
    JsonConverter values = converter(false);
    Map<Long, Struct> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Struct key = (Struct) keys.toConnectData("t", record.key()).value();
      assertThat(key.getString("dataset")).isEqualTo(DATASET);
      last.put(key.getInt64("id"), (Struct) values.toConnectData("t", record.value()).value());
    }
    SortedMap<ObjectKey, SortedMap<String, Value>> objects = store.objects(DATASET);
    assertThat(last).isNotEmpty();
    last.forEach(
        (id, event) -> {
          SortedMap<String, Value> state = objects.get(new ObjectKey("Task", id));
          if (state == null) {
            assertThat(event.getString("op")).isEqualTo("d");
            assertThat(event.getStruct("after")).isNull();
            assertThat(event.getStruct("before").getInt64("id")).isEqualTo(id);
          } else {
            assertThat(event.getString("op")).isIn("c", "u");
            Struct after = event.getStruct("after");
            assertThat(after.getString("text")).isEqualTo(((Value.Text) state.get("text")).value());
            assertThat(after.getInt64("priority"))
                .isEqualTo(
                    state.get("priority") == null
                        ? null
                        : ((Value.Int) state.get("priority")).value());
          }
        });
  }

  private static Map<Integer, List<String>> bytesByPartition(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Map<Integer, List<String>> partitions = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      partitions
          .computeIfAbsent(record.partition(), p -> new ArrayList<>())
          .add(new String(record.key()) + " " + new String(record.value()));
    }
    return partitions;
  }

  /** The first {@code count} records of the change events topic, in each partition's order. */
  private static List<ConsumerRecord<byte[], byte[]>> readChanges(
      String bootstrap, Topics topics, int count) {
    var settings = KafkaSettings.consumer(bootstrap, "outbox-test-reader", null);
    settings.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    settings.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.changes()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
              });
      return records.subList(0, count);
    }
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), isKey);
    return converter;
  }

  private static void publish(
      KafkaProducer<String, byte[]> producer, Topics topics, UploadRequest request) {
    producer.send(
        new ProducerRecord<>(
            topics.uploads(),
            DATASET,
            RecordCodec.encode(RecordCodec.upload(DATASET, new ReplyTo("outbox", 1, 1), request))));
  }
}

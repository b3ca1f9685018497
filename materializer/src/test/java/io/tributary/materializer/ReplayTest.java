package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import io.tributary.core.model.Renames;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.KafkaSettings;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4: replaying history into an empty materializer gives the same state, byte for byte.
 * The history is the real sequencer's, from many clients uploading concurrently (so it merged and
 * transformed) with every kind of instruction: objects, properties, counters, to-many links, list
 * edits, and changes made under a renamed property, translated as a gateway does. The live
 * materializer is restarted halfway, which must not apply anything twice.
 *
 * <p>{@code -Dreplay.seed=S} replays a run.
 */
class ReplayTest {

  private static final List<String> DATASETS = List.of("replayed-a", "replayed-b");
  private static final int CLIENTS = 4;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path live;
  @TempDir Path rebuilt;

  @Test
  void historyTheSequencerWroteReplaysToTheSameBytes() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(2);
    long seed = Long.getLong("replay.seed", System.nanoTime());
    System.out.println("ReplayTest seed " + seed + " (-Dreplay.seed=" + seed + ")");
    Random random = new Random(seed);
    Renames renamed = renamedText();
    Map<String, Integer> uploaded = new HashMap<>();

    try (SequencerService sequencer =
            new SequencerService(SequencerConfig.defaults(bootstrap).withTopics(topics)).start();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(KafkaSettings.producer(bootstrap, "replay-test"))) {
      RunningMaterializer first = RunningMaterializer.start(bootstrap, topics, live);
      try {
        RocksStore store = first.store();
        for (String dataset : DATASETS) {
          for (int i = 0; i < CLIENTS; i++) {
            publish(producer, topics, dataset, new UploadRequest.AllocateIdent());
          }
          await().atMost(PATIENCE).until(() -> store.client(dataset, CLIENTS).isPresent());
        }
        Map<String, long[]> clientVersions = new HashMap<>();
        DATASETS.forEach(dataset -> clientVersions.put(dataset, new long[CLIENTS + 1]));
        for (int round = 0; round < 60; round++) {
          if (round == 30) { // A restart of the live materializer halfway.
            awaitHeads(first.store(), uploaded);
            first.close();
            first = RunningMaterializer.start(bootstrap, topics, live);
          }
          for (String dataset : DATASETS) {
            long base = first.store().head(dataset); // Stale by the time it is integrated.
            for (int client = 1; client <= CLIENTS; client++) {
              long[] versions = clientVersions.get(dataset);
              List<Changeset> changesets = new ArrayList<>();
              for (int n = 1 + random.nextInt(3); n > 0; n--) {
                Changeset changeset =
                    new Changeset(
                        ++versions[client],
                        base,
                        1_000 * round + client,
                        client,
                        instructions(random));
                // Some clients run on the schema version that renamed "text" to "title".
                changesets.add(client % 2 == 0 ? renamed.toStored(changeset) : changeset);
              }
              uploaded.merge(dataset, changesets.size(), Integer::sum);
              publish(
                  producer,
                  topics,
                  dataset,
                  new UploadRequest.UploadChangesets(client, changesets));
            }
          }
        }
        producer.flush();
        awaitHeads(first.store(), uploaded);
      } finally {
        first.close();
      }
    }

    try (RunningMaterializer resumed = RunningMaterializer.start(bootstrap, topics, live);
        RunningMaterializer fresh = RunningMaterializer.start(bootstrap, topics, rebuilt)) {
      awaitHeads(resumed.store(), uploaded);
      awaitHeads(fresh.store(), uploaded);
      assertThat(dump(fresh.store())).isEqualTo(dump(resumed.store()));
      for (String dataset : DATASETS) {
        assertThat(resumed.store().objects(dataset)).isNotEmpty();
      }
    }
  }

  /** Random instructions of every kind on a few objects, so that concurrent ones meet. */
  private static List<Instruction> instructions(Random random) {
    List<Instruction> instructions = new ArrayList<>();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(6));
      Value element = Value.of("item " + random.nextInt(100));
      instructions.add(
          switch (random.nextInt(13)) {
            // Erases are rare: they win over everything concurrent, and the objects must live.
            case 0 ->
                random.nextInt(8) == 0
                    ? new Instruction.EraseObject(key)
                    : new Instruction.CreateObject(key);
            case 1, 2 -> new Instruction.CreateObject(key);
            case 3 -> new Instruction.Update(key, "text", Value.of("t" + random.nextInt(1000)));
            case 4 -> new Instruction.Update(key, "done", Value.of(random.nextBoolean()));
            case 5 -> new Instruction.AddInteger(key, "priority", random.nextInt(11) - 5);
            case 6 -> new Instruction.SetInsert(key, "tags", 1 + random.nextInt(4));
            case 7 -> new Instruction.SetErase(key, "tags", 1 + random.nextInt(4));
            case 8 -> new Instruction.SetClear(key, "tags");
            case 9 -> new Instruction.ArrayInsert(key, "checklist", random.nextInt(3), element);
            case 10 -> new Instruction.ArraySet(key, "checklist", random.nextInt(3), element);
            case 11 -> new Instruction.ArrayErase(key, "checklist", random.nextInt(3));
            default ->
                new Instruction.ArrayMove(key, "checklist", random.nextInt(3), random.nextInt(3));
          });
    }
    return instructions;
  }

  /** The example model, and a later version of it where "text" is called "title". */
  private static Renames renamedText() throws java.io.IOException {
    String json = Files.readString(Fixtures.exampleModel());
    Model first = ModelParser.parse(json, "v1");
    Model second =
        ModelParser.parse(json.replace("\"name\": \"text\"", "\"name\": \"title\""), "v2");
    assertThat(second.entities().get(0).properties())
        .anyMatch(property -> property.name().equals("title"));
    return Renames.of(List.of(first, second));
  }

  private static void awaitHeads(RocksStore store, Map<String, Integer> uploaded) {
    uploaded.forEach(
        (dataset, count) -> await().atMost(PATIENCE).until(() -> store.head(dataset) == count));
  }

  private static void publish(
      KafkaProducer<String, byte[]> producer,
      Topics topics,
      String dataset,
      UploadRequest request) {
    producer.send(
        new ProducerRecord<>(
            topics.uploads(),
            dataset,
            RecordCodec.encode(RecordCodec.upload(dataset, new ReplyTo("replay", 1, 1), request))));
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
}

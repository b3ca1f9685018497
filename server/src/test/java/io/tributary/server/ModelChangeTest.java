package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.SyncClient;
import io.tributary.core.auth.Admission;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import io.tributary.gateway.GatewayConfig;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model changed between two runs of the server: a renamed property keeps its data (history stores
 * it under its first name, clients see the new one), and a removed property is no longer shown.
 */
class ModelChangeTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @TempDir Path data;
  private final Topics topics = TestKafka.freshTopics(3);

  @Test
  void aRenamedPropertyKeepsItsDataForEveryKindOfClient() throws Exception {
    Model original = Main.loadModel(Fixtures.exampleModel());
    try (SyncServer server = start(original);
        SyncClient writer = client(server, true)) {
      writer.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("written as text")));
      assertThat(writer.awaitSynced(Duration.ofSeconds(30))).isTrue();
    }

    Model renamed = changed("\"name\": \"text\"", "\"name\": \"title\"");
    try (SyncServer server = start(renamed);
        SyncClient fromState = client(server, true);
        SyncClient fromHistory = client(server, false)) {
      assertThat(server.schemaVersion().number()).isEqualTo(2);
      for (SyncClient reader : new SyncClient[] {fromState, fromHistory}) {
        assertThat(reader.awaitSynced(Duration.ofSeconds(30))).isTrue();
        assertThat(reader.get(TASK).orElseThrow())
            .containsEntry("title", Value.of("written as text"))
            .doesNotContainKey("text");
      }

      fromState.write(tx -> tx.set("Task", 1, "title", Value.of("written as title")));
      assertThat(fromState.awaitSynced(Duration.ofSeconds(30))).isTrue();
      assertThat(fromHistory.awaitSynced(Duration.ofSeconds(30))).isTrue();

      assertThat(fromHistory.get(TASK).orElseThrow())
          .containsEntry("title", Value.of("written as title"));
      SortedMap<String, Value> stored = server.store().objects("tasks").get(TASK);
      assertThat(stored).containsEntry("text", Value.of("written as title"));
    }
  }

  @Test
  void aRemovedPropertyIsNoLongerShown() throws Exception {
    try (SyncServer server = start(Main.loadModel(Fixtures.exampleModel()));
        SyncClient writer = client(server, true)) {
      writer.write(
          tx ->
              tx.create("Task", 1)
                  .set("Task", 1, "text", Value.of("kept"))
                  .set("Task", 1, "priority", Value.of(3)));
      assertThat(writer.awaitSynced(Duration.ofSeconds(30))).isTrue();
    }

    Model withoutPriority =
        changed(
            "        {\n          \"id\": \"5:3469417021356781226\",\n          \"name\":"
                + " \"priority\",\n          \"type\": 5\n        },\n",
            "");
    assertThat(withoutPriority.entity("Task").orElseThrow().property("priority")).isEmpty();
    try (SyncServer server = start(withoutPriority);
        SyncClient reader = client(server, false)) {
      assertThat(reader.awaitSynced(Duration.ofSeconds(30))).isTrue();

      assertThat(reader.get(TASK).orElseThrow())
          .containsEntry("text", Value.of("kept"))
          .doesNotContainKey("priority");
    }
  }

  @Test
  void aVersionThatAnotherGatewayInsertsIsAdoptedWhileRunning() throws Exception {
    Model withTags =
        changed(
            "\"name\": \"checklist\",\n          \"type\": 30\n        }",
            "\"name\": \"checklist\",\n          \"type\": 30\n        },\n        {\"id\":"
                + " \"8:77001\", \"name\": \"labels\", \"type\": 30}");
    try (SyncServer server = start(Main.loadModel(Fixtures.exampleModel()));
        SyncClient client = client(server, true)) {
      assertThat(server.currentSchemaVersion()).isEqualTo(1);

      // What another gateway of the cluster does when it starts with the new model file.
      assertThat(
              new io.tributary.kafka.SchemaVersions(TestKafka.bootstrap(), topics)
                  .register(withTags)
                  .number())
          .isEqualTo(2);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.currentSchemaVersion() == 2);

      client.write(
          tx ->
              tx.create("Task", 1)
                  .set("Task", 1, "labels", new Value.Vector(java.util.List.of(Value.of("home")))));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
      assertThat(client.errors()).isEmpty();
      assertThat(server.store().objects("tasks").get(TASK)).containsKey("labels");
    }
  }

  @Test
  void aUidDroppedWithoutRetiringCannotComeBackAsAnotherType() throws Exception {
    io.tributary.kafka.SchemaVersions versions =
        new io.tributary.kafka.SchemaVersions(TestKafka.bootstrap(), topics);
    String priority =
        "        {\n          \"id\": \"5:3469417021356781226\",\n          \"name\":"
            + " \"priority\",\n          \"type\": 5\n        },\n";
    versions.register(Main.loadModel(Fixtures.exampleModel()));
    assertThat(versions.register(changed(priority, "")).number()).isEqualTo(2);

    Model backAsText =
        changed(
            "\"name\": \"priority\",\n          \"type\": 5",
            "\"name\": \"priority\",\n          \"type\": 9");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> versions.register(backAsText))
        .isInstanceOf(io.tributary.kafka.SchemaVersions.IncompatibleModelException.class)
        .hasMessageContaining("schema version ID 2, which stays current")
        .hasMessageContaining("property Task.priority changes type from INT to STRING");
    assertThat(versions.current().orElseThrow().number()).isEqualTo(2);
  }

  private SyncServer start(Model model) {
    return SyncServer.start(
        new SyncServer.Options(
            data,
            model,
            "127.0.0.1",
            0,
            TestKafka.bootstrap(),
            topics,
            GatewayConfig.DEFAULT_IDLE_TIMEOUT,
            Admission.UNSECURED));
  }

  private static SyncClient client(SyncServer server, boolean firstOpenWithState) {
    SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")
            .firstOpenWithState(firstOpenWithState);
    client.connect().join();
    return client;
  }

  private static Model changed(String from, String to) throws Exception {
    String json = Files.readString(Fixtures.exampleModel());
    assertThat(json).contains(from);
    return ModelParser.parse(json.replace(from, to), "changed.json");
  }
}

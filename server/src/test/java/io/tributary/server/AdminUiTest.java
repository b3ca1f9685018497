package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin web UI of a running server: its page, status, schema versions and data browser. */
class AdminUiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final RunningServer server = new RunningServer();

  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer admin;

  @Test
  void showsStatusSchemaAndTheDataOfEveryDatasetPageByPage() throws Exception {
    try (AdminServer started = TestAdmin.start(server);
        SyncClient client =
            new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")) {
      admin = started;
      assertThat(get("/").statusCode()).as("no view yet").isEqualTo(503);
      admin.show(new ServerAdminView(server.syncServer(), "ws://127.0.0.1:" + server.port()));
      client.connect().join();
      for (long id = 1; id <= 3; id++) {
        long task = id;
        client.write(
            tx -> tx.create("Task", task).set("Task", task, "text", Value.of("task " + task)));
      }
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();

      HttpResponse<String> page = get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>Tributary admin</title>");

      JsonNode status = json("/api/status");
      assertThat(status.path("Schema version").asInt()).isEqualTo(1);
      assertThat(status.path("Connected clients").asInt()).isEqualTo(1);
      assertThat(status.path("Ready").asBoolean()).isTrue();

      JsonNode schema = json("/api/schema");
      assertThat(schema.path("current").asInt()).isEqualTo(1);
      assertThat(schema.path("versions").get(0).path("entities").get(0).path("name").asText())
          .isEqualTo("Task");

      JsonNode datasets = json("/api/datasets");
      assertThat(datasets).hasSize(1);
      assertThat(datasets.get(0).path("dataset").asText()).isEqualTo("tasks");
      assertThat(datasets.get(0).path("historyLength").asLong()).isEqualTo(3);

      JsonNode first = json("/api/datasets/tasks/objects?entity=Task&limit=2");
      assertThat(first.path("objects")).hasSize(2);
      assertThat(first.path("objects").get(1).path("text").asText()).isEqualTo("task 2");
      assertThat(first.path("next").asText()).isEqualTo("2");
      JsonNode second = json("/api/datasets/tasks/objects?entity=Task&limit=2&after=2");
      assertThat(second.path("objects")).hasSize(1);
      assertThat(second.path("objects").get(0).path("id").asLong()).isEqualTo(3);
      assertThat(second.path("next").isNull()).isTrue();

      assertThat(first.path("types").path("dateCreated").asText()).isEqualTo("DATE");

      HttpResponse<String> export = get("/api/datasets/tasks/export");
      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
          .contains("tasks.json");
      JsonNode exported = JSON.readTree(export.body());
      assertThat(exported.path("Task")).hasSize(3);
      assertThat(exported.path("Task").get(2).path("text").asText()).isEqualTo("task 3");
      assertThat(exported.path("Tag")).isEmpty();

      client.write(tx -> tx.set("Task", 1, "text", Value.of("task 1, edited")).erase("Task", 3));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
      JsonNode now = json("/api/datasets/tasks/objects?entity=Task");
      assertThat(now.path("objects")).hasSize(2);
      assertThat(now.path("objects").get(0).path("text").asText()).isEqualTo("task 1, edited");
      JsonNode past = json("/api/datasets/tasks/objects?entity=Task&at=3");
      assertThat(past.path("version").asLong()).isEqualTo(3);
      assertThat(past.path("objects")).hasSize(3);
      assertThat(past.path("objects").get(0).path("text").asText()).isEqualTo("task 1");
      JsonNode pastPage = json("/api/datasets/tasks/objects?entity=Task&at=2&after=1");
      assertThat(pastPage.path("objects")).hasSize(1);
      assertThat(pastPage.path("objects").get(0).path("id").asLong()).isEqualTo(2);
      assertThat(get("/api/datasets/tasks/objects?entity=Task&at=soon").statusCode())
          .isEqualTo(400);

      HttpResponse<String> wrong = get("/api/datasets/tasks/objects?entity=Nope");
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(wrong.body()).contains("entity must be one of [Task", "not Nope");
      assertThat(get("/api/datasets?limit=0").statusCode()).isEqualTo(400);
    }
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .header("Authorization", TestAdmin.BASIC)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

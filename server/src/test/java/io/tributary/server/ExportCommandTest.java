package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync-server export}: a dataset at any server version, rebuilt from history alone, in the
 * admin export's shape.
 */
class ExportCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final RunningServer server = new RunningServer();
  @TempDir Path dir;

  @Test
  void aDatasetIsExportedAsItWasAtEachVersion() throws Exception {
    try (SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "history")) {
      client.connect().join();
      client.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("first")));
      client.write(tx -> tx.create("Task", 2).set("Task", 1, "text", Value.of("second")));
      client.write(tx -> tx.erase("Task", 2));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
    }

    assertThat(tasks(export("--at-version", "1"))).containsExactly("{\"id\":1,\"text\":\"first\"}");
    assertThat(tasks(export("--at-version", "2")))
        .containsExactly("{\"id\":1,\"text\":\"second\"}", "{\"id\":2}");
    assertThat(tasks(export("--at-version", "3")))
        .containsExactly("{\"id\":1,\"text\":\"second\"}");
    assertThat(tasks(export())).as("the latest").isEqualTo(tasks(export("--at-version", "3")));
  }

  @Test
  void aVersionBeyondTheHeadOrAnUnknownDatasetIsOneReadableLine() throws Exception {
    try (SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "short")) {
      client.connect().join();
      client.write(tx -> tx.create("Task", 1));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
    }
    Path out = dir.resolve("none.json");

    assertThat(run("--dataset", "short", "--at-version", "5", "-o", out.toString())).isEqualTo(1);
    assertThat(run("--dataset", "nothing-here", "-o", out.toString())).isEqualTo(1);
    assertThat(out).doesNotExist();
  }

  private JsonNode export(String... more) throws Exception {
    Path out = dir.resolve("export-" + System.nanoTime() + ".json");
    String[] args = new String[more.length + 4];
    args[0] = "--dataset";
    args[1] = "history";
    args[2] = "-o";
    args[3] = out.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    assertThat(run(args)).isZero();
    return JSON.readTree(Files.readString(out));
  }

  private int run(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "export";
    all[1] = "--kafka-bootstrap";
    all[2] = TestKafka.bootstrap();
    all[3] = "--topic-prefix";
    all[4] = server.topics().prefix();
    System.arraycopy(args, 0, all, 5, args.length);
    return Main.run(all);
  }

  private static java.util.List<String> tasks(JsonNode export) {
    java.util.List<String> tasks = new java.util.ArrayList<>();
    export.path("Task").forEach(task -> tasks.add(task.toString()));
    return tasks;
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sync-server} command as an operator runs it, in its own process with its embedded
 * broker: the startup story in the log, and the schema versions across restarts with changed model
 * files.
 */
class SchemaVersionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theFirstModelIsVersionOneAndACompatibleChangeTheNextAcrossRestarts() throws Exception {
    Path original = Fixtures.exampleModel();
    Path withLabels = write("with-labels.json", addProperty(original, "labels", 30, "8:77001"));

    String first = runUntilStarted(original);
    assertThat(linesAfterTime(first))
        .containsSubsequence(
            "[INFO ] [SySvAp] Default configuration file sync-server-config.json not found",
            "[INFO ] [SySvAp] Model file "
                + original
                + " loaded, it has "
                + Files.readString(original).length()
                + " bytes",
            "[INFO ] [SchVer] Database has no schema, loading from the model file",
            "[INFO ] [SchVer] Inserted new schema version ID 1",
            "[INFO ] [SySvAp] Starting the server with a schema version ID 1",
            "[WARN ] [SySvAp] INSECURE no-authentication mode enabled - every client allowed"
                + " without any validation");
    assertThat(first)
        .containsPattern("\\[SySvAp\\] Sync listening on 127\\.0\\.0\\.1:\\d+ without SSL");
    assertThat(first)
        .containsPattern("\\[SySvAp\\] Admin listening on http://127\\.0\\.0\\.1:\\d+");
    assertThat(first).containsPattern("\\[SySvAp\\] Tributary sync server started in \\d+ ms");

    String second = runUntilStarted(withLabels);
    assertThat(second)
        .contains("[SchVer] Model file changes schema version ID 1: property Task.labels added")
        .contains("Inserted new schema version ID 2")
        .contains("Starting the server with a schema version ID 2");

    String third = runUntilStarted(withLabels);
    assertThat(third)
        .contains("[INFO ] [SchVer] Model file matches schema version ID 2")
        .doesNotContain("Inserted new schema version");
  }

  @Test
  void anIncompatibleModelIsRefusedAndTheCurrentVersionStays() throws Exception {
    Path original = Fixtures.exampleModel();
    Path retyped =
        write(
            "retyped.json",
            Files.readString(original)
                .replace(
                    "\"name\": \"priority\",\n          \"type\": 5",
                    "\"name\": \"priority\",\n          \"type\": 9"));
    assertThat(Files.readString(retyped)).isNotEqualTo(Files.readString(original));
    runUntilStarted(original);

    RoleProcess refused = start(retyped);
    assertThat(refused.awaitExit(Duration.ofMinutes(1))).isEqualTo(1);
    List<String> errors =
        refused.output().lines().filter(line -> line.contains("[ERROR]")).toList();
    assertThat(errors)
        .containsExactly(
            errors.get(0).substring(0, errors.get(0).indexOf('['))
                + "[ERROR] [SySvAp] Model file is incompatible with schema version"
                + " ID 1, which stays current: property Task.priority changes type from INT to"
                + " STRING");
    assertThat(refused.output()).doesNotContain("Exception").doesNotContain("\tat ");

    assertThat(runUntilStarted(original)).contains("matches schema version ID 1");
  }

  private String runUntilStarted(Path model) throws Exception {
    try (RoleProcess server = start(model)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> server.output().contains("started in") || !server.alive());
      assertThat(server.alive()).as(server.output()).isTrue();
      return server.output();
    }
  }

  private RoleProcess start(Path model) {
    return RoleProcess.startAsShipped(
        dir.resolve("logs"),
        "sync-server-" + System.nanoTime(),
        "--model",
        model.toString(),
        "--db-directory",
        dir.resolve("data").toString(),
        "--bind",
        "ws://127.0.0.1:0",
        "--admin-bind",
        "http://127.0.0.1:0",
        "--unsecured-no-authentication");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static String addProperty(Path model, String name, int type, String id)
      throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(model.toFile());
    ArrayNode properties = (ArrayNode) root.path("entities").get(0).path("properties");
    properties.addObject().put("id", id).put("name", name).put("type", type);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** The log lines without their thread number and time, which change from run to run. */
  private static List<String> linesAfterTime(String output) {
    return output.lines().map(line -> line.replaceFirst("^\\d{3}-\\S+ ", "")).toList();
  }
}

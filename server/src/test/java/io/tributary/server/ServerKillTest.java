package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the one-command server, as an operator and its clients see it: the restart on the same
 * data directory keeps everything acknowledged, takes the offline writes, and logs no error and no
 * stack trace (the embedded broker recovering from a crash is not news for the operator).
 */
class ServerKillTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Pattern TRACE_OR_ERROR =
      Pattern.compile("(?m)^\\s+at |^Caused by: |\\[ERROR\\]|^[\\w.$]+(Exception|Error):");

  @TempDir Path temp;

  @Test
  void aRestartAfterKillDashNineKeepsEverythingAndLogsNoError() throws Exception {
    int port = RoleProcess.freePort();
    List<String> args =
        List.of(
            "--model",
            Fixtures.exampleModel().toString(),
            "--unsecured-no-authentication",
            "--db-directory",
            temp.resolve("db").toString(),
            "--bind",
            "ws://127.0.0.1:" + port,
            "--admin-off");
    RoleProcess server = start(args, "before");
    try (SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + port), "kill")) {
      client.connect().join();
      for (long id = 1; id <= 50; id++) {
        long task = id;
        client.write(tx -> tx.create("Task", task));
      }
      assertThat(client.awaitSynced(PATIENCE)).as(server.output()).isTrue();

      server.kill();
      for (long id = 51; id <= 60; id++) {
        long task = id;
        client.write(tx -> tx.create("Task", task));
      }
      server = start(args, "after");

      assertThat(client.awaitSynced(PATIENCE)).as(server.output()).isTrue();
      try (SyncClient fresh = new SyncClient(URI.create("ws://127.0.0.1:" + port), "kill")) {
        fresh.connect().join();
        await().atMost(PATIENCE).until(() -> fresh.objectsOf("Task").size() == 60);
      }
      assertThat(client.objectsOf("Task")).hasSize(60);
      assertThat(client.errors()).isEmpty();
      assertThat(server.output()).doesNotContainPattern(TRACE_OR_ERROR);
    } finally {
      server.close();
    }
  }

  private RoleProcess start(List<String> args, String name) {
    RoleProcess server =
        RoleProcess.startAsShipped(temp.resolve("logs"), name, args.toArray(String[]::new));
    await()
        .atMost(PATIENCE)
        .until(() -> server.output().contains("Sync listening") || !server.alive());
    assertThat(server.alive()).as(server.output()).isTrue();
    return server;
  }
}

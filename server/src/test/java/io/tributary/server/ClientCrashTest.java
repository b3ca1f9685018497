package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.RoleProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent client survives restarts and {@code kill -9}: nothing committed locally is lost,
 * nothing is uploaded twice.
 */
class ClientCrashTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Pattern COMMITTED = Pattern.compile("committed (\\d+)");

  @RegisterExtension final RunningServer server = new RunningServer();

  @TempDir Path temp;

  @Test
  void offlineWritesSurviveARestartAndSyncOnce() {
    Path directory = temp.resolve("client");
    try (SyncClient client = SyncClient.persistent(uri(), "restart", null, directory)) {
      for (long id = 1; id <= 20; id++) {
        long task = id;
        client.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of("t")));
      }
    }
    try (SyncClient client = SyncClient.persistent(uri(), "restart", null, directory)) {
      assertThat(client.pendingCount()).isEqualTo(20);
      assertThat(client.objects()).hasSize(20);
      client.connect().join();
      await().atMost(PATIENCE).until(() -> client.pendingCount() == 0);
    }
    try (SyncClient client = SyncClient.persistent(uri(), "restart", null, directory)) {
      assertThat(client.pendingCount()).isZero();
      assertThat(client.serverVersion()).isEqualTo(20);
      client.write(tx -> tx.create("Task", 21));
      client.connect().join();
      await().atMost(PATIENCE).until(() -> client.pendingCount() == 0);
      assertThat(client.errors()).as("the stored history salts are the server's").isEmpty();
    }
    assertThat(probe().head("restart")).isEqualTo(21);
    assertThat(probe().objects("restart").path("Task").size()).isEqualTo(21);
  }

  @Test
  void aClientKilledWhileWritingLosesNothingAndDuplicatesNothing() throws Exception {
    Path directory = temp.resolve("killed");
    Path logs = temp.resolve("logs");
    RoleProcess writer =
        RoleProcess.startMain(
            logs,
            "writer",
            ClientWriterProcess.class.getName(),
            uri().toString(),
            "crash",
            directory.toString(),
            "100000");
    await().atMost(PATIENCE).until(() -> lastCommitted(writer.output()) >= 2_000);
    writer.kill();
    long committedBeforeKill = lastCommitted(writer.output());

    RoleProcess again =
        RoleProcess.startMain(
            logs,
            "again",
            ClientWriterProcess.class.getName(),
            uri().toString(),
            "crash",
            directory.toString(),
            "0");
    await().atMost(PATIENCE).until(() -> again.output().contains("synced"));
    again.close();

    long written = Long.parseLong(again.output().replaceAll("(?s).*synced (\\d+).*", "$1"));
    assertThat(written)
        .as("every write reported committed is kept; at most one more was in flight")
        .isBetween(committedBeforeKill, committedBeforeKill + 1);
    await().atMost(PATIENCE).until(() -> probe().head("crash") == written);
    assertThat(probe().objects("crash").path("Task").size()).isEqualTo((int) written);
  }

  private static long lastCommitted(String output) {
    Matcher matcher = COMMITTED.matcher(output);
    long last = 0;
    while (matcher.find()) {
      last = Long.parseLong(matcher.group(1));
    }
    return last;
  }

  private URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port());
  }

  private ReadApiProbe probe() {
    return new ReadApiProbe(server.readApiPort());
  }
}

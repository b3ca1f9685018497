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

  @Test
  void aClientOfflineThroughAHundredThousandChangesCatchesUp() throws Exception {
    Path directory = temp.resolve("away");
    try (SyncClient away = SyncClient.persistent(uri(), "busy", null, directory)) {
      away.write(tx -> tx.create("Task", 1));
      away.connect().join();
      assertThat(away.awaitSynced(PATIENCE)).isTrue();
    }
    int count = 100_000;
    try (io.tributary.testkit.RawConnection writer =
        io.tributary.testkit.RawConnection.open(server.port())) {
      writer.send(new io.tributary.schemas.Bind(1L, "busy", null, true));
      await()
          .atMost(PATIENCE)
          .until(() -> !writer.received(io.tributary.schemas.ServerIdent.class).isEmpty());
      io.tributary.schemas.ServerIdent ident =
          writer.received(io.tributary.schemas.ServerIdent.class).get(0);
      writer.send(
          new io.tributary.schemas.ClientIdent(
              1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
      java.util.List<io.tributary.schemas.ChangesetBody> batch = new java.util.ArrayList<>();
      for (int version = 1; version <= count; version++) {
        io.tributary.core.changeset.ObjectKey key =
            new io.tributary.core.changeset.ObjectKey("Task", 1 + version % 1_000);
        batch.add(
            io.tributary.schemas.codec.Bodies.encode(
                new io.tributary.core.changeset.Changeset(
                    version,
                    0,
                    version,
                    ident.getClientIdent(),
                    java.util.List.of(
                        new io.tributary.core.changeset.Instruction.CreateObject(key),
                        new io.tributary.core.changeset.Instruction.AddInteger(
                            key, "priority", 1)))));
        if (batch.size() == 1_000) {
          writer.send(new io.tributary.schemas.Upload(1L, batch));
          batch = new java.util.ArrayList<>();
        }
      }
      await().atMost(Duration.ofMinutes(3)).until(() -> probe().head("busy") == count + 1);
    }

    try (SyncClient away = SyncClient.persistent(uri(), "busy", null, directory)) {
      away.write(tx -> tx.add("Task", 1, "priority", 1000)); // Made offline, before catching up.
      away.connect().join();

      assertThat(away.awaitSynced(Duration.ofMinutes(3))).isTrue();
      assertThat(away.serverVersion()).isEqualTo(count + 2);
      assertThat(away.objects()).hasSize(1_000);
      assertThat(away.objects().get(new io.tributary.core.changeset.ObjectKey("Task", 1)))
          .containsEntry("priority", Value.of(1_100L));
    }
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

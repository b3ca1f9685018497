package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.kafka.Topics;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Download;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.ReadApiProbe;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-command server on its embedded broker: what was acknowledged survives a restart. */
class RestartTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path data;

  @Test
  void acknowledgedChangesSurviveARestartAndReUploadsAreDropped() {
    List<Changeset> uploaded = new ArrayList<>();
    long ident;
    long salt;
    long head;
    try (SyncServer server = start()) {
      try (RawConnection raw = RawConnection.open(server.port())) {
        raw.send(new Bind(1L, "tasks", null, true));
        await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
        ServerIdent allocated = raw.received(ServerIdent.class).get(0);
        ident = allocated.getClientIdent();
        salt = allocated.getSalt();
        raw.send(new ClientIdent(1L, ident, salt, 0L, 0L, 0L));
        for (int v = 1; v <= 20; v++) {
          uploaded.add(createTask(ident, v));
        }
        raw.send(new Upload(1L, uploaded.stream().map(Bodies::encode).toList()));
        await().atMost(PATIENCE).until(() -> uploadProgress(raw) == 20);
      }
      head = new ReadApiProbe(server.readApiPort()).head("tasks");
    }

    try (SyncServer server = start()) {
      ReadApiProbe probe = new ReadApiProbe(server.readApiPort());
      assertThat(probe.head("tasks")).isEqualTo(head);
      assertThat(probe.objects("tasks").path("Task").size()).isEqualTo(20);

      // The client did not see the acknowledgements and sends everything again, plus one more.
      try (RawConnection raw = RawConnection.open(server.port())) {
        raw.send(new Bind(1L, "tasks", null, false));
        raw.send(new ClientIdent(1L, ident, salt, 0L, 0L, 0L));
        List<Changeset> again = new ArrayList<>(uploaded);
        again.add(createTask(ident, 21));
        raw.send(new Upload(1L, again.stream().map(Bodies::encode).toList()));
        await().atMost(PATIENCE).until(() -> uploadProgress(raw) == 21);
      }
      await().atMost(PATIENCE).until(() -> probe.head("tasks") == head + 1);

      // A fresh client receives exactly the acknowledged state.
      SyncClient fresh = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
      fresh.connect().join();
      await().atMost(PATIENCE).until(() -> fresh.objects().size() == 21);
      assertThat(fresh.objects().get(new ObjectKey("Task", 7)))
          .containsEntry("text", Value.of("task 7"));
      fresh.close();
    }
  }

  private SyncServer start() {
    return SyncServer.start(
        new SyncServer.Options(
            data,
            Main.loadModel(Fixtures.exampleModel()),
            "127.0.0.1",
            0,
            null,
            new Topics("tributary", 3, (short) 1)));
  }

  private static long uploadProgress(RawConnection raw) {
    return raw.received(Download.class).stream()
        .mapToLong(Download::getUploadProgress)
        .max()
        .orElse(0);
  }

  private static Changeset createTask(long ident, long version) {
    ObjectKey key = new ObjectKey("Task", version);
    return new Changeset(
        version,
        0,
        1_000 + version,
        ident,
        List.of(
            new Instruction.CreateObject(key),
            new Instruction.Update(key, "text", Value.of("task " + version))));
  }
}

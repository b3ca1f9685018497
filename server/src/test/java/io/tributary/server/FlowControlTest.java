package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.ServerIdent;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.ReadApiProbe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Large messages in both directions, and a client that reads far more slowly than others write. */
class FlowControlTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void aClientThatWasOfflineUploadsEverythingInOneLargeMessage() {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "offline");
    for (int i = 1; i <= 2_000; i++) {
      long id = i;
      client.write(
          tx -> tx.create("Task", id).set("Task", id, "text", Value.of("task number " + id)));
    }
    client.connect().join(); // One UPLOAD of 2,000 changesets, far over one 64 KiB frame.

    await().atMost(PATIENCE).until(() -> client.pendingCount() == 0);
    assertThat(new ReadApiProbe(server.readApiPort()).objects("offline").path("Task").size())
        .isEqualTo(2_000);
    client.close();
  }

  @Test
  void aSlowReaderGetsEveryChangesetInOrderOnceItReadsAgain() {
    try (RawConnection reader = RawConnection.open(server.port())) {
      reader.send(new Bind(1L, "flood", null, true));
      await().atMost(PATIENCE).until(() -> !reader.received(ServerIdent.class).isEmpty());
      ServerIdent ident = reader.received(ServerIdent.class).get(0);
      reader.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
      await().atMost(PATIENCE).until(() -> !reader.received(Download.class).isEmpty());
      reader.pauseReading();

      SyncClient writer = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "flood");
      writer.connect().join();
      // About 14 MB on the wire (bodies are compressed: random letters): more than the network
      // and the server's queue hold.
      java.util.Random letters = new java.util.Random(7);
      int changes = 300;
      for (int i = 1; i <= changes; i++) {
        long id = i;
        String bulky = Texts.incompressible(letters, 64 * 1024);
        writer.write(tx -> tx.create("Task", id).set("Task", id, "text", Value.of(bulky)));
      }
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(writer.pendingCount())
                      .as(
                          "pending; errors %s; connected %s; head %d",
                          writer.errors(),
                          writer.connected(),
                          new ReadApiProbe(server.readApiPort()).head("flood"))
                      .isZero());
      long head = new ReadApiProbe(server.readApiPort()).head("flood");
      writer.close();

      reader.resumeReading();
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  reader.received(Download.class).stream()
                          .mapToLong(Download::getServerVersion)
                          .max()
                          .orElse(0)
                      == head);
      List<Long> versions =
          reader.received(Download.class).stream()
              .flatMap(download -> download.getChangesets().stream())
              .map(DownloadedChangeset::getServerVersion)
              .toList();
      // The writer's ident allocation is not a changeset: versions are exactly 1..head.
      assertThat(versions).isEqualTo(LongStream.rangeClosed(1, head).boxed().toList());
      assertThat(head).isEqualTo(changes);
    }
  }
}

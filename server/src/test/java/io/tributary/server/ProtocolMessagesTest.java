package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientVersion;
import io.tributary.schemas.ClientVersionRequest;
import io.tributary.schemas.Download;
import io.tributary.schemas.Error;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.Transact;
import io.tributary.schemas.TransactResult;
import io.tributary.schemas.Unbind;
import io.tributary.schemas.Unbound;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.testkit.RawConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MARK, CLIENT_VERSION and TRANSACT over a real WebSocket, with a real broker behind. */
class ProtocolMessagesTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void markIsAnsweredOnceEverythingInHistoryHasBeenDownloaded() {
    try (RawConnection writer = identified(1L);
        RawConnection reader = identified(1L)) {
      long writerIdent = identOf(writer);
      List<io.tributary.schemas.ChangesetBody> bodies = new ArrayList<>();
      for (int version = 1; version <= 50; version++) {
        bodies.add(
            Bodies.encode(
                new Changeset(
                    version,
                    0,
                    version,
                    writerIdent,
                    List.of(
                        new Instruction.CreateObject(TASK),
                        new Instruction.Update(TASK, "priority", Value.of((long) version))))));
      }
      writer.send(new Upload(1L, bodies));
      await().atMost(PATIENCE).until(() -> uploadProgress(writer) == 50);

      reader.send(new Mark(1L, 77L));

      await().atMost(PATIENCE).until(() -> !reader.received(Mark.class).isEmpty());
      assertThat(reader.received(Mark.class)).containsExactly(new Mark(1L, 77L));
      assertThat(downloadedBeforeTheMark(reader))
          .as("everything in history was downloaded before the MARK answer")
          .isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void aClientFarBehindIsToldHowManyBytesAreLeftToDownload() {
    try (RawConnection writer = identified(1L)) {
      long ident = identOf(writer);
      String text = "x".repeat(10_000);
      for (int batch = 0; batch < 3; batch++) {
        List<io.tributary.schemas.ChangesetBody> bodies = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
          long version = batch * 100L + i;
          bodies.add(
              Bodies.encode(
                  new Changeset(
                      version,
                      0,
                      version,
                      ident,
                      List.of(
                          new Instruction.CreateObject(new ObjectKey("Task", version)),
                          new Instruction.Update(
                              new ObjectKey("Task", version), "text", Value.of(text + i))))));
        }
        writer.send(new Upload(1L, bodies));
      }
      await().atMost(PATIENCE).until(() -> uploadProgress(writer) == 300);
    }

    try (RawConnection reader = identified(1L)) {
      await().atMost(PATIENCE).until(() -> lastDownload(reader).getServerVersion() == 300);
      List<Download> downloads = reader.received(Download.class);
      assertThat(downloads.get(0).getDownloadableBytes())
          .as("about 3 MB of history left after the first page")
          .isGreaterThan(1_000_000);
      assertThat(downloads)
          .extracting(Download::getDownloadableBytes)
          .isSortedAccordingTo(java.util.Comparator.reverseOrder());
      assertThat(lastDownload(reader).getDownloadableBytes()).isZero();
      assertThat(lastDownload(reader).getLatestServerVersion()).isEqualTo(300);
    }
  }

  private static Download lastDownload(RawConnection raw) {
    List<Download> downloads = raw.received(Download.class);
    return downloads.get(downloads.size() - 1);
  }

  @Test
  void clientVersionTellsWhichOfItsChangesetsTheServerHas() {
    try (RawConnection client = identified(1L)) {
      long ident = identOf(client);
      client.send(
          new Upload(
              1L,
              List.of(
                  Bodies.encode(
                      new Changeset(1, 0, 1, ident, List.of(new Instruction.CreateObject(TASK)))),
                  Bodies.encode(
                      new Changeset(2, 0, 2, ident, List.of(new Instruction.EraseObject(TASK)))))));
      await().atMost(PATIENCE).until(() -> uploadProgress(client) == 2);

      client.send(new ClientVersionRequest(1L));

      await().atMost(PATIENCE).until(() -> !client.received(ClientVersion.class).isEmpty());
      assertThat(client.received(ClientVersion.class)).containsExactly(new ClientVersion(1L, 2L));
    }
  }

  @Test
  void aTransactGoesThroughOnlyIfNoOtherClientChangedTheDatasetSinceItsBase() {
    try (RawConnection first = identified(1L);
        RawConnection second = identified(1L)) {
      long firstIdent = identOf(first);
      long secondIdent = identOf(second);

      // Both saw version 0. The first books the slot; the second, too late, tries the same.
      first.send(new Transact(1L, Bodies.encode(booking(firstIdent, 0, "first"))));
      await().atMost(PATIENCE).until(() -> !first.received(TransactResult.class).isEmpty());
      second.send(new Transact(1L, Bodies.encode(booking(secondIdent, 0, "second"))));
      await().atMost(PATIENCE).until(() -> !second.received(TransactResult.class).isEmpty());

      TransactResult accepted = first.received(TransactResult.class).get(0);
      assertThat(accepted.getAccepted()).isTrue();
      assertThat(accepted.getClientVersion()).isEqualTo(1);
      TransactResult rejected = second.received(TransactResult.class).get(0);
      assertThat(rejected.getAccepted()).isFalse();
      assertThat(rejected.getMessage()).contains("changed after version 0");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  new io.tributary.testkit.ReadApiProbe(server.readApiPort())
                      .objects("tasks")
                      .path("Task")
                      .path("1")
                      .path("text")
                      .asText()
                      .equals("booked by first"));
    }
  }

  @Test
  void noUploadWhileATransactAwaitsItsVerdict() {
    try (RawConnection client = identified(1L)) {
      long ident = identOf(client);
      client.send(new Transact(1L, Bodies.encode(booking(ident, 0, "me"))));
      client.send(new Upload(1L, List.of()));

      await().atMost(PATIENCE).until(() -> !client.received(Error.class).isEmpty());
      assertThat(client.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.PROTOCOL_VIOLATION.code());
    }
  }

  private static Changeset booking(long ident, long base, String who) {
    return new Changeset(
        1,
        base,
        1,
        ident,
        List.of(
            new Instruction.CreateObject(TASK),
            new Instruction.Update(TASK, "text", Value.of("booked by " + who))));
  }

  @Test
  void unbindEndsOneSessionAndTheOtherGoesOn() {
    try (RawConnection raw = identified(1L)) {
      raw.send(new Bind(2L, "other", null, true));
      await().atMost(PATIENCE).until(() -> raw.received(ServerIdent.class).size() == 2);

      raw.send(new Unbind(1L));
      await().atMost(PATIENCE).until(() -> !raw.received(Unbound.class).isEmpty());
      raw.send(new Mark(1L, 5L));
      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);

      assertThat(raw.received(Unbound.class)).containsExactly(new Unbound(1L));
      assertThat(raw.received(Error.class).get(0).getMessage())
          .as("session 1 is gone")
          .contains("not bound: 1");
    }
  }

  @Test
  void pingIsAnsweredWithItsTimestamp() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Ping(1234L));

      await().atMost(PATIENCE).until(() -> !raw.received(Pong.class).isEmpty());
      assertThat(raw.received(Pong.class)).containsExactly(new Pong(1234L));
    }
  }

  @Test
  void markBeforeIdentIsAProtocolViolation() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Bind(1L, "tasks", null, false));
      raw.send(new Mark(1L, 1L));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.PROTOCOL_VIOLATION.code());
    }
  }

  /** A connection with session {@code session} bound to "tasks" and identified as a new client. */
  private RawConnection identified(long session) {
    RawConnection raw = RawConnection.open(server.port());
    raw.send(new Bind(session, "tasks", null, true));
    await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
    ServerIdent ident = raw.received(ServerIdent.class).get(0);
    raw.send(new ClientIdent(session, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
    await().atMost(PATIENCE).until(() -> !raw.received(Download.class).isEmpty());
    return raw;
  }

  private static long identOf(RawConnection raw) {
    return raw.received(ServerIdent.class).get(0).getClientIdent();
  }

  private static long uploadProgress(RawConnection raw) {
    List<Download> downloads = raw.received(Download.class);
    return downloads.isEmpty() ? 0 : downloads.get(downloads.size() - 1).getUploadProgress();
  }

  private static long downloadedBeforeTheMark(RawConnection raw) {
    long version = 0;
    for (io.tributary.schemas.ServerMessage message : raw.received()) {
      if (message.getBody() instanceof Mark) {
        return version;
      }
      if (message.getBody() instanceof Download download) {
        version = download.getServerVersion();
      }
    }
    throw new AssertionError("no MARK answer");
  }
}

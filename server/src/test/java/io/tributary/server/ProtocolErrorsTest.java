package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Error;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.ReadApiProbe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input gets a clear ERROR, loses nothing, and the server keeps serving everyone else. */
class ProtocolErrorsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void garbageBytesGetAnErrorAndCloseOnlyThatConnection() {
    SyncClient bystander = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
    bystander.connect().join();
    try (RawConnection attacker = RawConnection.open(server.port())) {
      attacker.sendBytes(new byte[] {(byte) 0xff, 0x13, 0x37, 0x00, 0x42});

      await().atMost(PATIENCE).until(() -> attacker.closeCode() != null);
      Error error = attacker.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.MALFORMED_MESSAGE.code());
      assertThat(error.getSession()).isZero();
      assertThat(error.getMessage()).isNotBlank();
      assertThat(error.getTryAgain()).isFalse();
    }

    bystander.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("still served")));
    await().atMost(PATIENCE).until(() -> bystander.pendingCount() == 0);
    assertThat(
            new ReadApiProbe(server.readApiPort())
                .objects("tasks")
                .path("Task")
                .path("1")
                .path("text")
                .asText())
        .isEqualTo("still served");
    bystander.close();
  }

  @Test
  void anUnknownMessageTypeIsMalformed() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.sendBytes(new byte[] {100, 2}); // Union member 50: no such message in version 1.

      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.MALFORMED_MESSAGE.code());
      assertThat(error.getMessage()).isNotBlank();
    }
  }

  @Test
  void aMessageForAnUnboundSessionIsAProtocolViolation() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Upload(5L, List.of()));

      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.PROTOCOL_VIOLATION.code());
    }
  }

  @Test
  void uploadBeforeIdentIsRefusedForThatSession() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Bind(1L, "tasks", null, false));
      raw.send(new Upload(1L, List.of()));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getSession()).isEqualTo(1L);
      assertThat(error.getCode()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION.code());
      raw.send(new Ping(42L)); // The connection itself stays usable.
      await().atMost(PATIENCE).until(() -> !raw.received(Pong.class).isEmpty());
      assertThat(raw.received(Pong.class).get(0).getTimestamp()).isEqualTo(42L);
    }
  }

  @Test
  void aBadDatasetNameIsRefused() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Bind(1L, "../etc/passwd", null, true));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.BAD_DATASET_NAME.code());
    }
  }

  @Test
  void aChangesetThatBreaksTheSchemaIsRefusedWhole() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      ServerIdent ident = bindNewClient(raw);
      raw.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
      ObjectKey task = new ObjectKey("Task", 1);
      Changeset broken =
          new Changeset(
              1,
              0,
              1_000,
              ident.getClientIdent(),
              List.of(
                  new Instruction.CreateObject(task),
                  new Instruction.Update(task, "done", Value.of("not a boolean"))));
      raw.send(new Upload(1L, List.of(Bodies.encode(broken))));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.SCHEMA_VIOLATION.code());
      assertThat(error.getMessage()).contains("Task.done");
    }
    assertThat(new ReadApiProbe(server.readApiPort()).head("tasks")).isZero();
  }

  @Test
  void anUnknownClientIdentIsRefused() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Bind(1L, "tasks", null, false));
      raw.send(new ClientIdent(1L, 999L, 1234L, 0L, 0L, 0L));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.BAD_CLIENT_IDENT.code());
    }
  }

  @Test
  void aClientAheadOfTheServersHistoryMustReset() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      ServerIdent ident = bindNewClient(raw);
      raw.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 999L, 0L, 0L));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.CLIENT_RESET_REQUIRED.code());
      assertThat(error.getMessage()).contains("999");
    }
  }

  @Test
  void aClientWhoseHistoryDiffersFromTheServersMustReset() {
    long ident;
    long salt;
    io.tributary.schemas.Download last;
    try (RawConnection raw = identifiedRaw()) {
      ServerIdent allocated = raw.received(ServerIdent.class).get(0);
      ident = allocated.getClientIdent();
      salt = allocated.getSalt();
      raw.send(
          new Upload(
              1L,
              List.of(
                  io.tributary.schemas.codec.Bodies.encode(
                      new Changeset(
                          1,
                          0,
                          1,
                          ident,
                          List.of(new Instruction.CreateObject(new ObjectKey("Task", 1))))))));
      await().atMost(PATIENCE).until(() -> lastDownload(raw).getUploadProgress() == 1);
      last = lastDownload(raw);
    }
    long version = last.getServerVersion();
    long versionSalt = last.getServerVersionSalt();
    assertThat(versionSalt).as("a salt names version %d", version).isNotZero();

    try (RawConnection same = RawConnection.open(server.port())) {
      same.send(new Bind(1L, "tasks", null, false));
      same.send(new ClientIdent(1L, ident, salt, version, versionSalt, 1L));
      await()
          .atMost(PATIENCE)
          .until(() -> !same.received(io.tributary.schemas.Download.class).isEmpty());
      assertThat(same.received(Error.class)).isEmpty();
    }
    try (RawConnection forgotten = RawConnection.open(server.port())) {
      forgotten.send(new Bind(1L, "tasks", null, false));
      forgotten.send(new ClientIdent(1L, ident, salt, version, versionSalt, 5L));

      await().atMost(PATIENCE).until(() -> !forgotten.received(Error.class).isEmpty());
      Error error = forgotten.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.CLIENT_RESET_REQUIRED.code());
      assertThat(error.getMessage())
          .contains("up to 5 were acknowledged, but this server's history holds them only up to 1");
    }
    try (RawConnection diverged = RawConnection.open(server.port())) {
      diverged.send(new Bind(1L, "tasks", null, false));
      diverged.send(new ClientIdent(1L, ident, salt, version, versionSalt + 1, 1L));

      await().atMost(PATIENCE).until(() -> !diverged.received(Error.class).isEmpty());
      Error error = diverged.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.CLIENT_RESET_REQUIRED.code());
      assertThat(error.getMessage()).contains("is not this server's history");
    }
  }

  private static io.tributary.schemas.Download lastDownload(RawConnection raw) {
    List<io.tributary.schemas.Download> downloads =
        raw.received(io.tributary.schemas.Download.class);
    return downloads.get(downloads.size() - 1);
  }

  /** Binds session 1 to "tasks" as a client seen for the first time; returns its new ident. */
  private static ServerIdent bindNewClient(RawConnection raw) {
    raw.send(new Bind(1L, "tasks", null, true));
    await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
    return raw.received(ServerIdent.class).get(0);
  }

  @Test
  void progressThatGoesBackwardsInASessionIsRefused() {
    try (RawConnection raw = identifiedRaw()) {
      long ident = raw.received(ServerIdent.class).get(0).getClientIdent();
      raw.send(new Upload(1L, List.of(io.tributary.schemas.codec.Bodies.encode(create(ident, 2)))));
      raw.send(new Upload(1L, List.of(io.tributary.schemas.codec.Bodies.encode(create(ident, 1)))));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.BAD_PROGRESS.code());
      assertThat(error.getSession()).isEqualTo(1L);
      assertThat(error.getMessage()).contains("client version 1 after 2");
    }
  }

  @Test
  void bindingASessionIdInUseIsRefusedForThatBindOnly() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.send(new Bind(1L, "tasks", null, true));
      raw.send(new Bind(1L, "other", null, true));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.SESSION_ALREADY_BOUND.code());
      await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
      assertThat(raw.closeCode()).as("the first session goes on").isNull();
    }
  }

  private static Changeset create(long ident, long clientVersion) {
    return new Changeset(
        clientVersion,
        0,
        clientVersion,
        ident,
        List.of(new Instruction.CreateObject(new ObjectKey("Task", clientVersion))));
  }

  @Test
  void aMessageOverTheLimitGetsAnErrorAsSoonAsItPassesIt() {
    try (RawConnection raw = RawConnection.open(server.port())) {
      raw.sendFragmented(17 * 1024 * 1024, 256 * 1024);

      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE.code());
      assertThat(error.getMessage()).contains("at most 16777216 bytes");
    }
  }

  @Test
  void aCompressedBodyThatInflatesPastItsSizeIsRefused() throws Exception {
    try (RawConnection raw = identifiedRaw()) {
      java.io.ByteArrayOutputStream zlib = new java.io.ByteArrayOutputStream();
      try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(zlib)) {
        out.write(new byte[32 * 1024 * 1024]);
      }
      raw.send(
          new Upload(
              1L,
              List.of(
                  new io.tributary.schemas.ChangesetBody(
                      io.tributary.schemas.BodyEncoding.ZLIB,
                      100,
                      java.nio.ByteBuffer.wrap(zlib.toByteArray())))));

      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
      assertThat(raw.received(Error.class).get(0).getCode())
          .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE.code());
    }
  }

  @Test
  void anUploadDeclaringMoreThanTheLimitIsRefusedBeforeDecompressing() {
    try (RawConnection raw = identifiedRaw()) {
      io.tributary.schemas.ChangesetBody claim =
          new io.tributary.schemas.ChangesetBody(
              io.tributary.schemas.BodyEncoding.ZLIB,
              9 * 1024 * 1024,
              java.nio.ByteBuffer.wrap(new byte[] {1}));
      raw.send(new Upload(1L, List.of(claim, claim)));

      await().atMost(PATIENCE).until(() -> raw.closeCode() != null);
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE.code());
      assertThat(error.getMessage()).contains("an UPLOAD declares");
    }
  }

  /** A raw connection with session 1 bound to "tasks" and identified as a new client. */
  private RawConnection identifiedRaw() {
    RawConnection raw = RawConnection.open(server.port());
    raw.send(new Bind(1L, "tasks", null, true));
    await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
    ServerIdent ident = raw.received(ServerIdent.class).get(0);
    raw.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
    await()
        .atMost(PATIENCE)
        .until(() -> !raw.received(io.tributary.schemas.Download.class).isEmpty());
    return raw;
  }
}

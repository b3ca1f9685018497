package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Metrics;
import io.tributary.client.SyncClient;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.session.ConnectionLimits;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.gateway.ConnectionQuotas;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Error;
import io.tributary.schemas.Ping;
import io.tributary.schemas.codec.Frames;
import io.tributary.testkit.RawConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every client is a stranger: what one connection can make the server hold is bounded, and a client
 * that goes past a bound is refused or closed while a bystander keeps syncing.
 */
class ConnectionBoundsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withConnections(
              // Timeouts of seconds: short for the test, long beside what a bystander needs.
              new ConnectionPolicy(
                  Duration.ofMinutes(10),
                  Duration.ofSeconds(3),
                  Duration.ofSeconds(5),
                  8,
                  ConnectionPolicy.DEFAULTS.gatewayUploadsInFlight(),
                  ConnectionLimits.DEFAULTS.withSessions(3).withUploadsInFlight(UPLOAD_LIMIT),
                  ConnectionQuotas.DEFAULTS));

  private static final int UPLOAD_LIMIT = 16;

  @Test
  void aPingFloodThatNeverReadsIsCutOffWhileABystanderKeepsSyncing() throws Exception {
    long heapBefore = usedHeapAfterGc();
    try (Socket flood = webSocket(server.port());
        Bystanders bystanders = new Bystanders(server.port())) {
      AtomicLong pings = new AtomicLong();
      CompletableFuture<Void> flooding =
          CompletableFuture.runAsync(
              () -> {
                long until = System.nanoTime() + PATIENCE.toNanos();
                try {
                  OutputStream out = flood.getOutputStream();
                  while (System.nanoTime() < until) { // Never reads a PONG.
                    out.write(maskedFrame(Frames.encode(new ClientMessage(new Ping(pings.get())))));
                    pings.incrementAndGet();
                  }
                } catch (java.io.IOException closed) {
                  // The server closed the connection: what the test waits for.
                }
              });
      bystanders.syncWhile(() -> !flooding.isDone());
      await().atMost(PATIENCE).until(flooding::isDone);
      assertThat(closedByTheServer(flood)).as("the flood was cut off, not let run out").isTrue();
      assertThat(pings.get()).as("the server read the flood a while").isGreaterThan(1_000);
      bystanders.assertInSync();
    }
    long growth = usedHeapAfterGc() - heapBefore;
    assertThat(growth).as("heap growth, bytes").isLessThan(32L * 1024 * 1024);
  }

  /** A WebSocket opened by hand ({@link RawHandshake}). */
  private static Socket webSocket(int port) throws java.io.IOException {
    return webSocket(port, -1);
  }

  /** The same, with a receive buffer of that size if positive (fixed: the kernel grows none). */
  private static Socket webSocket(int port, int receiveBuffer) throws java.io.IOException {
    Socket socket = RawHandshake.send(null, port, receiveBuffer);
    assertThat(RawHandshake.status(socket)).as("the handshake's status").isEqualTo(101);
    return socket;
  }

  /** One binary frame from a client: masked, as the protocol requires (the mask 0 keeps it). */
  private static byte[] maskedFrame(byte[] payload) {
    assertThat(payload.length).isLessThan(126);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x82;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, frame, 6, payload.length);
    return frame;
  }

  @Test
  void aHandshakeThatDoesNotCompleteInTimeIsClosed() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", server.port());
        Socket silent = new Socket("127.0.0.1", server.port());
        Bystanders bystanders = new Bystanders(server.port())) {
      OutputStream out = slow.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      slow.setSoTimeout((int) PATIENCE.toMillis());
      silent.setSoTimeout((int) PATIENCE.toMillis());
      long started = System.nanoTime();
      assertThat(readUntilClosed(slow.getInputStream())).isEqualTo(-1);
      assertThat(readUntilClosed(silent.getInputStream())).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      bystanders.syncWhile(() -> false);
      bystanders.assertInSync();
    }
  }

  @Test
  void handshakesUnderWayAreBounded() throws Exception {
    List<Socket> waiting = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        waiting.add(new Socket("127.0.0.1", server.port()));
      }
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                try (Socket oneMore = new Socket("127.0.0.1", server.port())) {
                  oneMore.setSoTimeout(5_000);
                  return oneMore.getInputStream().read() == -1; // Closed at once.
                }
              });
    } finally {
      for (Socket socket : waiting) {
        socket.close();
      }
    }
    // Their handshake time is over: others get in again.
    try (Bystanders bystanders = new Bystanders(server.port())) {
      bystanders.syncWhile(() -> false);
      bystanders.assertInSync();
    }
  }

  @Test
  void aWriterFasterThanTheServerIsHeldAtItsLimitAndLosesNothingWhileABystanderSyncs()
      throws Exception {
    // The global registry counts nothing until a registry is added to it, as the server does.
    var counting = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Metrics.addRegistry(counting);
    double holdsBefore = uploadHolds();
    int changesets = 100 * (UPLOAD_LIMIT + 4);
    try (RawConnection flood = RawConnection.open(server.port());
        Bystanders bystanders = new Bystanders(server.port())) {
      long ident = identified(flood, "flood");
      CompletableFuture<Void> flooding =
          CompletableFuture.runAsync(
              () -> {
                // More changesets a message than the limit, as fast as the socket takes them.
                for (long version = 1; version <= changesets; version += UPLOAD_LIMIT + 4) {
                  flood.send(upload(ident, version, UPLOAD_LIMIT + 4));
                }
              });
      bystanders.syncWhile(() -> !flooding.isDone());
      await()
          .atMost(PATIENCE.multipliedBy(2))
          .until(
              () ->
                  flood.received(io.tributary.schemas.Download.class).stream()
                          .mapToLong(io.tributary.schemas.Download::getUploadProgress)
                          .max()
                          .orElse(0)
                      == changesets);
      assertThat(flood.received(Error.class)).isEmpty();
      assertThat(uploadHolds() - holdsBefore)
          .as("the server stopped reading the writer at its limit")
          .isPositive();
      bystanders.assertInSync();
    } finally {
      Metrics.removeRegistry(counting);
    }
  }

  @Test
  void aConnectionThatStopsReadingIsEndedAfterTheSlowReaderTimeoutWhileABystanderSyncs()
      throws Exception {
    var counting = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Metrics.addRegistry(counting);
    double tooSlowBefore = errorsSent(ErrorCode.TOO_SLOW);
    try (StalledReader stalled = new StalledReader(server.port(), "stalled");
        Bystanders bystanders = new Bystanders(server.port())) {
      SyncClient writer = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "stalled");
      writer.connect().join();
      // Changeset bodies are compressed on the wire: random letters, about 14 MB of it, far more
      // than the stalled socket and the server's queue hold.
      java.util.Random letters = new java.util.Random(12);
      for (long id = 1; id <= 300; id++) {
        long task = id;
        String bulky = Texts.incompressible(letters, 64 * 1024);
        writer.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of(bulky)));
      }

      bystanders.syncWhile(() -> errorsSent(ErrorCode.TOO_SLOW) == tooSlowBefore);
      await().atMost(PATIENCE).until(() -> errorsSent(ErrorCode.TOO_SLOW) > tooSlowBefore);
      assertThat(stalled.endedByTheServer()).isTrue();

      await().atMost(PATIENCE).until(() -> writer.pendingCount() == 0);
      assertThat(writer.errors()).as("the writer is not the slow one").isEmpty();
      writer.close();
      bystanders.assertInSync();
    } finally {
      Metrics.removeRegistry(counting);
    }
  }

  /**
   * A client on a plain socket that binds, catches up and then stops reading. Its receive buffer is
   * small and fixed: on loopback the kernel would otherwise grow it to 32 MB, more than the flood,
   * and the server would never see it fall behind.
   */
  private static final class StalledReader implements AutoCloseable {
    private final Socket socket;
    private final java.io.DataInputStream in;
    private final OutputStream out;

    StalledReader(int port, String dataset) throws java.io.IOException {
      socket = webSocket(port, 64 * 1024);
      socket.setSoTimeout((int) PATIENCE.toMillis());
      in = new java.io.DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      send(new io.tributary.core.protocol.ClientMessage.Bind(1, dataset, null, true));
      var allocated = (io.tributary.core.protocol.ServerMessage.ServerIdent) next();
      send(
          new io.tributary.core.protocol.ClientMessage.Ident(
              1, allocated.clientIdent(), allocated.salt(), 0, 0, 0));
      while (!(next() instanceof io.tributary.core.protocol.ServerMessage.Download)) {
        // Until caught up; from then on it reads nothing.
      }
    }

    /** The next server message: one unfragmented, unmasked binary frame. */
    private io.tributary.core.protocol.ServerMessage next() throws java.io.IOException {
      in.readUnsignedByte(); // FIN and opcode
      long length = in.readUnsignedByte() & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return io.tributary.schemas.codec.Messages.fromWire(Frames.decodeServer(payload));
    }

    /** A masked binary frame, as a client must send. */
    private void send(io.tributary.core.protocol.ClientMessage message) throws java.io.IOException {
      byte[] payload = Frames.encode(io.tributary.schemas.codec.Messages.toWire(message));
      java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
      frame.write(0x82);
      if (payload.length < 126) {
        frame.write(0x80 | payload.length);
      } else {
        frame.write(0x80 | 126);
        frame.write(payload.length >>> 8);
        frame.write(payload.length & 0xff);
      }
      byte[] mask = {1, 2, 3, 4};
      frame.write(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.write(payload[i] ^ mask[i % 4]);
      }
      out.write(frame.toByteArray());
    }

    /**
     * Whether the server ended the connection: what it sent, then the end of the stream, or a reset
     * (the server drops what the client never read rather than wait behind it).
     */
    boolean endedByTheServer() throws java.io.IOException {
      try {
        return readUntilClosed(in) == -1;
      } catch (java.net.SocketException reset) {
        return reset.getMessage().contains("reset");
      }
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  private static double errorsSent(ErrorCode code) {
    return counted(
        Metrics.globalRegistry
            .find("tributary.gateway.errors")
            .tag("code", Integer.toString(code.code())));
  }

  /** The sum of the counters found, over every gateway. */
  private static double counted(io.micrometer.core.instrument.search.Search found) {
    return found.counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  /** Binds {@code dataset} with a new client file ident and identifies; returns the ident. */
  static long identified(RawConnection connection, String dataset) {
    connection.send(new Bind(1L, dataset, null, true));
    await()
        .atMost(PATIENCE)
        .until(() -> !connection.received(io.tributary.schemas.ServerIdent.class).isEmpty());
    io.tributary.schemas.ServerIdent allocated =
        connection.received(io.tributary.schemas.ServerIdent.class).get(0);
    connection.send(
        io.tributary.schemas.codec.Messages.toWire(
                new io.tributary.core.protocol.ClientMessage.Ident(
                    1, allocated.getClientIdent(), allocated.getSalt(), 0, 0, 0))
            .getBody());
    return allocated.getClientIdent();
  }

  /** An UPLOAD of {@code count} changesets from {@code firstVersion} on, each creating a task. */
  static Object upload(long ident, long firstVersion, int count) {
    List<io.tributary.core.changeset.Changeset> changesets = new ArrayList<>();
    for (long version = firstVersion; version < firstVersion + count; version++) {
      ObjectKey task = new ObjectKey("Task", version);
      changesets.add(
          new io.tributary.core.changeset.Changeset(
              version,
              0,
              version,
              ident,
              List.of(new io.tributary.core.changeset.Instruction.CreateObject(task))));
    }
    return io.tributary.schemas.codec.Messages.toWire(
            new io.tributary.core.protocol.ClientMessage.Upload(1, changesets))
        .getBody();
  }

  private static double uploadHolds() {
    return counted(Metrics.globalRegistry.find("tributary.gateway.upload.holds"));
  }

  @Test
  void sessionsPerConnectionAreBounded() throws Exception {
    try (RawConnection greedy = RawConnection.open(server.port());
        Bystanders bystanders = new Bystanders(server.port())) {
      for (long session = 1; session <= 4; session++) {
        greedy.send(new Bind(session, "tasks-" + session, null, true));
      }
      await().atMost(PATIENCE).until(() -> !greedy.received(Error.class).isEmpty());
      Error refused = greedy.received(Error.class).get(0);
      assertThat(refused.getSession()).isEqualTo(4);
      assertThat(refused.getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED.code());
      assertThat(greedy.closeCode()).as("the connection stays").isNull();
      bystanders.syncWhile(() -> false);
      bystanders.assertInSync();
    }
  }

  /** Whether the server closed the socket: reading ends, or the connection was reset. */
  private static boolean closedByTheServer(Socket socket) {
    try {
      socket.setSoTimeout((int) PATIENCE.toMillis());
      return readUntilClosed(socket.getInputStream()) == -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }

  private static int readUntilClosed(InputStream in) throws java.io.IOException {
    int read;
    do {
      read = in.read();
    } while (read != -1);
    return read;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

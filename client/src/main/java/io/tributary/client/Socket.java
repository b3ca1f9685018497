package io.tributary.client;

import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.Handshake;
import io.tributary.schemas.codec.Messages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The client's WebSocket: opens it, sends frames in order, decodes what comes, and tells {@link
 * Events} what becomes of it. Only the current socket is heard: one closed or replaced says nothing
 * more.
 */
final class Socket {

  /** What becomes of the socket, told from the socket's own threads. */
  interface Events {
    /** The socket opened, with {@code token} at its handshake. */
    void opened(String token);

    /** It could not be opened. */
    void failed(Throwable error);

    void received(ServerMessage message);

    /** The open socket closed, or broke. */
    void closed();
  }

  /** Far below the server's 16 MiB message limit: one upload becomes one Kafka record. */
  static final long UPLOAD_BATCH_BYTES = 1024 * 1024;

  private final URI server;
  private final Events events;
  private final Executor opener;
  private HttpClient http = HttpClient.newHttpClient();
  private WebSocket current;
  private boolean opening;

  /** The latest attempt to open: only its socket is heard. */
  private long attempt;

  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  /**
   * @param opener where the token provider is asked and the handshake started: the token provider
   *     is the app's code, run on no thread of the caller's
   */
  Socket(URI server, Events events, Executor opener) {
    this.server = server;
    this.events = events;
    this.opener = opener;
  }

  synchronized void sslContext(javax.net.ssl.SSLContext context) {
    http = HttpClient.newBuilder().sslContext(context).build();
  }

  synchronized boolean opening() {
    return opening;
  }

  /**
   * Opens a socket; only the latest attempt is heard of: an earlier one that completes late is
   * closed again, and says nothing.
   */
  void open(Supplier<String> tokens) {
    HttpClient client;
    long mine;
    synchronized (this) {
      opening = true;
      client = http;
      mine = ++attempt;
    }
    CompletableFuture.supplyAsync(tokens, opener)
        .thenCompose(
            token -> handshake(client, token, mine).thenApply(socket -> new Opened(socket, token)))
        .whenComplete(
            (opened, error) -> {
              boolean latest;
              synchronized (this) {
                latest = mine == attempt;
                if (latest) {
                  opening = false;
                }
              }
              if (!latest) {
                if (opened != null) {
                  opened.socket().abort();
                }
              } else if (error != null) {
                events.failed(error);
              } else if (isCurrent(opened.socket())) {
                events.opened(opened.token());
              } else {
                opened.socket().abort();
                events.failed(new IllegalStateException("closed during its handshake"));
              }
            });
  }

  private record Opened(WebSocket socket, String token) {}

  private CompletableFuture<WebSocket> handshake(HttpClient client, String token, long mine) {
    WebSocket.Builder builder =
        client.newWebSocketBuilder().subprotocols(Handshake.currentSubprotocol());
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.buildAsync(server, new Listener(mine));
  }

  /** Closes the current socket at once; nothing more is heard of it. */
  void close() {
    WebSocket closing;
    synchronized (this) {
      closing = current;
      current = null;
    }
    if (closing != null) {
      closing.abort();
    }
  }

  /** Queues a message; the JDK WebSocket allows one send at a time. */
  void send(ClientMessage message) {
    List<byte[]> frames = frames(message);
    synchronized (this) {
      WebSocket target = current;
      if (target == null) {
        return;
      }
      for (byte[] frame : frames) {
        sending =
            sending
                .exceptionally(error -> null)
                .thenCompose(ignored -> target.sendBinary(ByteBuffer.wrap(frame), true));
      }
    }
  }

  /** The frames of a message: an UPLOAD in messages of at most {@link #UPLOAD_BATCH_BYTES}. */
  static List<byte[]> frames(ClientMessage message) {
    if (!(message instanceof ClientMessage.Upload upload)) {
      return List.of(Frames.encode(Messages.toWire(message)));
    }
    List<byte[]> frames = new ArrayList<>();
    List<ChangesetBody> batch = new ArrayList<>();
    long bytes = 0;
    for (var changeset : upload.changesets()) {
      ChangesetBody body = Bodies.encode(changeset);
      long size = body.getSize(); // The server's limit counts decoded bytes.
      if (!batch.isEmpty() && bytes + size > UPLOAD_BATCH_BYTES) {
        frames.add(uploadFrame(upload.session(), batch));
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(body);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      frames.add(uploadFrame(upload.session(), batch));
    }
    return frames;
  }

  private static byte[] uploadFrame(long session, List<ChangesetBody> bodies) {
    return Frames.encode(
        new io.tributary.schemas.ClientMessage(new io.tributary.schemas.Upload(session, bodies)));
  }

  private synchronized boolean isCurrent(WebSocket socket) {
    return socket == current;
  }

  /** Forgets {@code socket} if it is the current one; whether it was. */
  private synchronized boolean forget(WebSocket socket) {
    if (socket != current) {
      return false;
    }
    current = null;
    return true;
  }

  private final class Listener extends BinaryMessageListener {
    private final long mine;

    Listener(long attempt) {
      this.mine = attempt;
    }

    @Override
    public void onOpen(WebSocket socket) {
      synchronized (Socket.this) {
        if (mine != attempt) {
          socket.abort(); // A later attempt is under way.
          return;
        }
        current = socket;
        sending = CompletableFuture.completedFuture(null);
      }
      socket.request(1);
    }

    @Override
    protected void onMessage(WebSocket socket, byte[] frame) {
      if (!isCurrent(socket)) {
        return;
      }
      ServerMessage message;
      try {
        message = Messages.fromWire(Frames.decodeServer(frame));
      } catch (RuntimeException undecodable) {
        // Not this protocol: nothing of this server can be trusted now.
        if (forget(socket)) {
          socket.abort();
          events.closed();
        }
        return;
      }
      events.received(message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      if (forget(socket)) {
        events.closed();
      }
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      if (forget(socket)) {
        events.closed();
      }
    }
  }
}

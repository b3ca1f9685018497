package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.model.Renames;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.ClientVersionRequest;
import io.tributary.schemas.Error;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.StateRequest;
import io.tributary.schemas.Transact;
import io.tributary.schemas.Unbind;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.MalformedFrameException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket: decodes frames, routes them to its sessions, encodes replies. Several
 * sessions (datasets) share one connection. Runs on the connection's event loop.
 */
final class Connection {

  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** Dataset names become Kafka keys and RocksDB key parts: keep them plain. */
  static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** Beyond this many unsent bytes a session stops pushing and later catches up instead. */
  static final int WRITE_QUEUE_BYTES = 2 * 1024 * 1024;

  private final long id;
  private final ServerWebSocket socket;
  private final GatewayServices services;
  private final Context context;
  private final Map<Long, Session> sessions = new HashMap<>();
  private final List<Runnable> drainWaiters = new ArrayList<>();

  /** The fragments of the message being received; never more than the message limit. */
  private final List<Buffer> fragments = new ArrayList<>();

  private int fragmentBytes;
  private boolean textMessage;
  private long lastHeardNanos = System.nanoTime();
  private long idleTimer = -1;
  private boolean closed;

  Connection(long id, ServerWebSocket socket, GatewayServices services, Context context) {
    this.id = id;
    this.socket = socket;
    this.services = services;
    this.context = context;
  }

  void start() {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    socket.drainHandler(ignored -> onDrained());
    socket.frameHandler(this::onWebSocketFrame);
    socket.exceptionHandler(error -> LOG.debug("Connection {} error: {}", id, error.toString()));
    socket.closeHandler(ignored -> onClosed());
    services.metrics().connected();
    LOG.debug("Connection {} from {}", id, socket.remoteAddress());
    watchIdleness();
  }

  /**
   * Assembles messages from their frames, so that one over the limit is refused with an ERROR as
   * soon as its frames pass the limit, without holding more of it.
   */
  private void onWebSocketFrame(WebSocketFrame frame) {
    lastHeardNanos = System.nanoTime();
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // Control frames: answered by the WebSocket layer.
    }
    if (!frame.isContinuation()) {
      fragments.clear();
      fragmentBytes = 0;
      textMessage = frame.isText();
    }
    Buffer data = frame.binaryData();
    fragmentBytes += data.length();
    if (fragmentBytes > SyncVerticle.MAX_MESSAGE_BYTES) {
      fragments.clear();
      fail(
          ErrorCode.MESSAGE_TOO_LARGE,
          "a message is at most " + SyncVerticle.MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    fragments.add(data);
    if (!frame.isFinal()) {
      return;
    }
    Buffer message = fragments.size() == 1 ? data : Buffer.buffer(fragmentBytes);
    if (fragments.size() > 1) {
      fragments.forEach(message::appendBuffer);
    }
    fragments.clear();
    fragmentBytes = 0;
    if (textMessage) {
      fail(ErrorCode.MALFORMED_MESSAGE, "text frames are not part of the protocol");
    } else {
      onFrame(message);
    }
  }

  /** Ends the connection once nothing at all has come from the client for the idle timeout. */
  private void watchIdleness() {
    long timeoutMillis = services.idleTimeout().toMillis();
    long checkEvery = Math.max(10, Math.min(timeoutMillis / 4, 30_000));
    idleTimer =
        context
            .owner()
            .setPeriodic(
                checkEvery,
                timer -> {
                  long silentMillis = (System.nanoTime() - lastHeardNanos) / 1_000_000;
                  if (silentMillis >= timeoutMillis) {
                    fail(
                        ErrorCode.IDLE_TIMEOUT,
                        "nothing received for "
                            + silentMillis / 1000
                            + " s; send PING to keep an idle connection open");
                  }
                });
  }

  long id() {
    return id;
  }

  SessionRegistry registry() {
    return services.registry();
  }

  Uploads uploads() {
    return services.uploads();
  }

  CatchUpClient catchUp() {
    return services.catchUp();
  }

  /** The schema version now; read once per message, so that one message sees one version. */
  CurrentSchema.Snapshot schema() {
    return services.schema().snapshot();
  }

  Renames renames() {
    return services.schema().renames();
  }

  void runOnContext(Runnable action) {
    context.runOnContext(ignored -> action.run());
  }

  /** Whether the client reads more slowly than we write: then nothing more is queued. */
  boolean congested() {
    return socket.writeQueueFull();
  }

  /** Runs {@code action} once the write queue has drained. */
  void whenDrained(Runnable action) {
    drainWaiters.add(action);
  }

  private void onDrained() {
    List<Runnable> waiters = List.copyOf(drainWaiters);
    drainWaiters.clear();
    waiters.forEach(Runnable::run);
  }

  void forget(Session session) {
    sessions.remove(session.id(), session);
  }

  private void onFrame(Buffer frame) {
    ClientMessage message;
    try {
      message = Frames.decodeClient(frame.getBytes());
    } catch (MalformedFrameException e) {
      fail(ErrorCode.MALFORMED_MESSAGE, e.getMessage());
      return;
    }
    Object body = message.getBody();
    services.metrics().received(body.getClass().getSimpleName(), frame.length());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "Connection {} <- {} ({} bytes)", id, body.getClass().getSimpleName(), frame.length());
    }
    if (body instanceof Bind bind) {
      onBind(bind);
    } else if (body instanceof Ping ping) {
      send(new Pong(ping.getTimestamp()));
    } else if (sessionOf(body) == 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "session ids must be positive");
    } else {
      Session session = sessions.get(sessionOf(body));
      if (session == null) {
        fail(
            ErrorCode.PROTOCOL_VIOLATION,
            "message for a session that is not bound: " + sessionOf(body));
      } else if (body instanceof ClientIdent ident) {
        session.onClientIdent(ident);
      } else if (body instanceof Upload upload) {
        session.onUpload(upload);
      } else if (body instanceof Unbind) {
        session.onUnbind();
      } else if (body instanceof Mark mark) {
        session.onMark(mark);
      } else if (body instanceof ClientVersionRequest) {
        session.onClientVersionRequest();
      } else if (body instanceof Transact transact) {
        session.onTransact(transact);
      } else if (body instanceof Refresh refresh) {
        session.onRefresh(refresh);
      } else if (body instanceof StateRequest request) {
        session.onStateRequest(request);
      }
    }
  }

  private static long sessionOf(Object body) {
    if (body instanceof ClientIdent ident) {
      return ident.getSession();
    } else if (body instanceof Upload upload) {
      return upload.getSession();
    } else if (body instanceof Unbind unbind) {
      return unbind.getSession();
    } else if (body instanceof Mark mark) {
      return mark.getSession();
    } else if (body instanceof ClientVersionRequest request) {
      return request.getSession();
    } else if (body instanceof Transact transact) {
      return transact.getSession();
    } else if (body instanceof Refresh refresh) {
      return refresh.getSession();
    } else if (body instanceof StateRequest request) {
      return request.getSession();
    }
    return 0;
  }

  private void onBind(Bind bind) {
    long sessionId = bind.getSession();
    if (sessionId <= 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "session ids must be positive");
    } else if (sessions.containsKey(sessionId)) {
      sendError(
          sessionId, ErrorCode.SESSION_ALREADY_BOUND, "session " + sessionId + " is already bound");
    } else if (refusal(bind.getToken()).isPresent()) {
      sendError(
          sessionId,
          ErrorCode.AUTHENTICATION_FAILED,
          "the BIND token is refused: " + refusal(bind.getToken()).get());
    } else if (!DATASET_NAME.matcher(bind.getDataset()).matches()) {
      sendError(
          sessionId,
          ErrorCode.BAD_DATASET_NAME,
          "dataset names are 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    } else {
      Session session = new Session(this, sessionId, bind.getDataset(), bind.getNeedsIdent());
      sessions.put(sessionId, session);
      session.start();
    }
  }

  /**
   * Why a token given in a message is refused, if it is; a message without one relies on the token
   * the handshake accepted.
   */
  java.util.Optional<String> refusal(String token) {
    return token == null
        ? java.util.Optional.empty()
        : services.authenticator().refusal(java.util.Optional.of(token));
  }

  void send(Object body) {
    if (!socket.isClosed()) {
      byte[] frame = Frames.encode(new ServerMessage(body));
      services.metrics().sent(frame.length);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "Connection {} -> {} ({} bytes)", id, body.getClass().getSimpleName(), frame.length);
      }
      socket.writeBinaryMessage(Buffer.buffer(frame));
    }
  }

  void sendError(long sessionId, ErrorCode error, String message) {
    services.metrics().error(error.code());
    send(new Error(sessionId, error.code(), message, error.tryAgain()));
  }

  /** A connection-level error: tell the client, end every session and close. */
  void fail(ErrorCode error, String message) {
    if (socket.isClosed()) {
      return;
    }
    LOG.debug("Connection {} failed: {} {}", id, error, message);
    sendError(0, error, message);
    onClosed();
    socket.close((short) 1002, error.name());
  }

  private void onClosed() {
    if (!closed) {
      closed = true;
      services.metrics().disconnected();
      LOG.debug("Connection {} closed", id);
    }
    if (idleTimer >= 0) {
      context.owner().cancelTimer(idleTimer);
      idleTimer = -1;
    }
    for (Session session : List.copyOf(sessions.values())) {
      session.end();
    }
  }
}

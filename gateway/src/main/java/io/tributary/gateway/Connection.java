package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.model.ChangesetValidator;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Error;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.Unbind;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.MalformedFrameException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
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

  Connection(long id, ServerWebSocket socket, GatewayServices services, Context context) {
    this.id = id;
    this.socket = socket;
    this.services = services;
    this.context = context;
  }

  void start() {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    socket.drainHandler(ignored -> onDrained());
    socket.binaryMessageHandler(this::onFrame);
    socket.textMessageHandler(
        text -> fail(ErrorCode.MALFORMED_MESSAGE, "text frames are not part of the protocol"));
    socket.exceptionHandler(error -> LOG.debug("Connection {} error: {}", id, error.toString()));
    socket.closeHandler(ignored -> onClosed());
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

  ChangesetValidator validator() {
    return services.validator();
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
    if (body instanceof Bind bind) {
      onBind(bind);
    } else if (body instanceof Ping ping) {
      send(new Pong(ping.getTimestamp()));
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

  void send(Object body) {
    if (!socket.isClosed()) {
      socket.writeBinaryMessage(Buffer.buffer(Frames.encode(new ServerMessage(body))));
    }
  }

  void sendError(long sessionId, ErrorCode error, String message) {
    send(new Error(sessionId, error.code(), message, error.tryAgain()));
  }

  /** A connection-level error: tell the client, end every session and close. */
  private void fail(ErrorCode error, String message) {
    LOG.debug("Connection {} failed: {} {}", id, error, message);
    sendError(0, error, message);
    onClosed();
    socket.close((short) 1002, error.name());
  }

  private void onClosed() {
    for (Session session : List.copyOf(sessions.values())) {
      session.end();
    }
  }
}

package io.tributary.core.session;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Access;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.session.SessionEffect.CloseConnection;
import io.tributary.core.session.SessionEffect.Send;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One client connection, the server's side: binds sessions (several datasets share a connection),
 * routes each message to its session, answers PING, and keeps what a client can open within the
 * {@link ConnectionLimits}. Like {@link ServerSession}, a machine without I/O.
 */
public final class ServerConnection {

  /** Dataset names become Kafka keys and RocksDB key parts: keep them plain. */
  public static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String gatewayId;
  private final long connectionId;
  private final ConnectionLimits limits;
  private final Admission admission;

  /** Who the handshake's token proved: the identity of a BIND without a token of its own. */
  private final Identity handshake;

  private final Supplier<UploadSchema> schema;

  /** Bound sessions by the client's session id. */
  private final Map<Long, ServerSession> bySession = new HashMap<>();

  /** The same sessions by binding, the name effects and events use. */
  private final Map<Long, ServerSession> byBinding = new LinkedHashMap<>();

  /** The time as the shell last told it: when tokens are checked for expiry. */
  private Instant now;

  /** When the next token held expires, in epoch milliseconds; {@link Long#MAX_VALUE} if none. */
  private long nextExpiryMillis = Long.MAX_VALUE;

  private long lastBinding;
  private boolean closed;

  /**
   * @param gatewayId and {@code connectionId} address the sequencer's replies to this connection
   * @param admission checks the tokens of BIND and REFRESH and says what they allow
   * @param handshake who the handshake's token proved
   * @param now the time of the handshake; {@link #tick} moves it on
   * @param schema the schema version now, read once per upload
   */
  public ServerConnection(
      String gatewayId,
      long connectionId,
      ConnectionLimits limits,
      Admission admission,
      Identity handshake,
      Instant now,
      Supplier<UploadSchema> schema) {
    this.now = now;
    this.gatewayId = gatewayId;
    this.connectionId = connectionId;
    this.limits = limits;
    this.admission = admission;
    this.handshake = handshake;
    this.schema = schema;
    expiriesChanged();
  }

  /** A message of the client. */
  public List<SessionEffect> on(ClientMessage message) {
    if (closed) {
      return List.of();
    }
    if (message instanceof ClientMessage.Ping ping) {
      return List.of(new Send(new ServerMessage.Pong(ping.timestamp())));
    }
    ClientMessage.ForSession forSession = (ClientMessage.ForSession) message;
    if (forSession.session() <= 0) {
      return fail(ErrorCode.PROTOCOL_VIOLATION, "session ids must be positive");
    }
    if (message instanceof ClientMessage.Bind bind) {
      return onBind(bind);
    }
    ServerSession session = bySession.get(forSession.session());
    if (session == null) {
      return fail(
          ErrorCode.PROTOCOL_VIOLATION,
          "message for a session that is not bound: " + forSession.session());
    }
    if (message instanceof ClientMessage.Refresh refresh) {
      return settled(session, onRefresh(session, refresh.token()));
    }
    return settled(session, session.on(forSession));
  }

  /**
   * The time is {@code time}: the sessions whose token has expired end, each with an ERROR. The
   * shell ticks at {@link #nextExpiryMillis}, so that an expired token is not used for long.
   */
  public List<SessionEffect> tick(Instant time) {
    now = time;
    expiriesChanged(); // The handshake's token may have expired with it.
    List<ServerSession> expired = new ArrayList<>(0); // Usually none: nothing to copy.
    for (ServerSession session : byBinding.values()) {
      if (session.identity().expiredAt(now)) {
        expired.add(session);
      }
    }
    List<SessionEffect> effects = new ArrayList<>();
    for (ServerSession session : expired) {
      effects.addAll(settled(session, expire(session)));
    }
    return effects;
  }

  /**
   * When the next token this connection holds expires (the handshake's, as long as a BIND may still
   * rely on it, or a session's), in epoch milliseconds: the shell ticks then. {@link
   * Long#MAX_VALUE} if none will.
   */
  public long nextExpiryMillis() {
    return nextExpiryMillis;
  }

  /** Recomputes {@link #nextExpiryMillis} when a token comes or goes: not on every message. */
  private void expiriesChanged() {
    long next = Long.MAX_VALUE;
    if (handshake.expiry().isPresent() && !handshake.expiredAt(now)) {
      next = handshake.expiry().get().toEpochMilli();
    }
    for (ServerSession session : byBinding.values()) {
      Optional<Instant> expiry = session.identity().expiry();
      if (expiry.isPresent()) {
        next = Math.min(next, expiry.get().toEpochMilli());
      }
    }
    nextExpiryMillis = next;
  }

  private static List<SessionEffect> expire(ServerSession session) {
    return session.refuse(
        ErrorCode.TOKEN_EXPIRED,
        "the token expired at "
            + session.identity().expiry().orElseThrow()
            + "; send REFRESH with a fresh token before the current one expires");
  }

  /** A new token: the session goes on under what it allows, or ends if it allows nothing. */
  private List<SessionEffect> onRefresh(ServerSession session, String token) {
    TokenVerdict verdict = admission.tokens().check(token);
    if (verdict instanceof TokenVerdict.Refused refused) {
      return session.refuse(
          refused.error(), "the refreshed token is refused (" + refused.describe() + ")");
    }
    Identity identity = ((TokenVerdict.Accepted) verdict).identity();
    Access access = admission.permissions().accessTo(identity, session.dataset());
    if (!access.canRead()) {
      return session.refuse(
          ErrorCode.PERMISSION_DENIED,
          "the refreshed token does not allow dataset \"" + session.dataset() + "\"");
    }
    session.authorize(identity, access);
    expiriesChanged();
    return List.of();
  }

  /** Something that happened around the session {@code binding}; nothing if it is gone. */
  public List<SessionEffect> on(long binding, SessionEvent event) {
    ServerSession session = byBinding.get(binding);
    return session == null ? List.of() : settled(session, session.on(event));
  }

  /** The socket closed: every session ends. */
  public List<SessionEffect> close() {
    closed = true;
    List<SessionEffect> effects = new ArrayList<>();
    for (ServerSession session : List.copyOf(byBinding.values())) {
      effects.addAll(settled(session, session.close()));
    }
    return effects;
  }

  /** Fails the whole connection: an ERROR for session 0, every session ended, the socket closed. */
  public List<SessionEffect> fail(ErrorCode error, String message) {
    if (closed) {
      return List.of();
    }
    List<SessionEffect> effects = new ArrayList<>(close());
    effects.add(new CloseConnection(error, message));
    return effects;
  }

  /**
   * True while the changesets this connection's sessions published and the client has not seen
   * acknowledged reach the limit: the shell then reads nothing more of the client until some are.
   * Messages already read are still taken, so one UPLOAD may overshoot the limit.
   */
  /** What an operator sees of each bound session, in the order they were bound. */
  public java.util.List<SessionSummary> summaries() {
    return byBinding.values().stream().map(ServerSession::summary).toList();
  }

  public boolean atUploadLimit() {
    return uploadsInFlight() >= limits.uploadsInFlight();
  }

  /** Changesets this connection's sessions published that the client has not seen answered. */
  public int uploadsInFlight() {
    int inFlight = 0;
    for (ServerSession session : byBinding.values()) {
      inFlight += session.uploadsInFlight();
    }
    return inFlight;
  }

  public int sessionCount() {
    return bySession.size();
  }

  /** The phase of the session the client calls {@code session}, for tests and status pages. */
  public java.util.Optional<ServerSession.Phase> phase(long session) {
    return java.util.Optional.ofNullable(bySession.get(session)).map(ServerSession::phase);
  }

  private List<SessionEffect> onBind(ClientMessage.Bind bind) {
    long id = bind.session();
    if (bySession.containsKey(id)) {
      return refuse(id, ErrorCode.SESSION_ALREADY_BOUND, "session " + id + " is already bound");
    }
    TokenVerdict verdict =
        bind.token() == null
            ? new TokenVerdict.Accepted(handshake)
            : admission.tokens().check(bind.token());
    if (verdict instanceof TokenVerdict.Refused refused) {
      return refuse(id, refused.error(), "the BIND token is refused (" + refused.describe() + ")");
    }
    Identity identity = ((TokenVerdict.Accepted) verdict).identity();
    if (identity.expiredAt(now)) {
      return refuse(
          id,
          ErrorCode.TOKEN_EXPIRED,
          "the handshake's token expired at "
              + identity.expiry().orElseThrow()
              + "; give a fresh token in the BIND");
    }
    if (!DATASET_NAME.matcher(bind.dataset()).matches()) {
      return refuse(
          id,
          ErrorCode.BAD_DATASET_NAME,
          "dataset names are 1-128 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    Access access = admission.permissions().accessTo(identity, bind.dataset());
    if (!access.canRead()) {
      return refuse(
          id,
          ErrorCode.PERMISSION_DENIED,
          "the token ("
              + identity.describe()
              + ") does not allow dataset \""
              + bind.dataset()
              + "\"");
    }
    if (bySession.size() >= limits.sessions()) {
      return refuse(
          id,
          ErrorCode.LIMIT_EXCEEDED,
          "at most " + limits.sessions() + " sessions may be bound on one connection");
    }
    long binding = ++lastBinding;
    ServerSession session =
        new ServerSession(
            bind,
            binding,
            new ReplyTo(gatewayId, connectionId, binding),
            limits,
            schema,
            identity,
            access);
    bySession.put(id, session);
    byBinding.put(binding, session);
    expiriesChanged();
    return settled(session, session.start());
  }

  private static List<SessionEffect> refuse(long session, ErrorCode error, String message) {
    return List.of(new Send(new ServerMessage.Error(session, error, message)));
  }

  /** Forgets a session that ended while it produced {@code effects}. */
  private List<SessionEffect> settled(ServerSession session, List<SessionEffect> effects) {
    if (session.phase() == ServerSession.Phase.ENDED) {
      bySession.remove(session.session(), session);
      byBinding.remove(session.binding(), session);
      expiriesChanged();
    }
    return effects;
  }
}

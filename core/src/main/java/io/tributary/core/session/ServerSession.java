package io.tributary.core.session;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Access;
import io.tributary.core.auth.Identity;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.model.SchemaViolation;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.protocol.StateHeader;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.session.ProgressQuery.AnswerClientVersion;
import io.tributary.core.session.ProgressQuery.AnswerMark;
import io.tributary.core.session.ProgressQuery.CheckClaim;
import io.tributary.core.session.ReadRequest.FetchHistory;
import io.tributary.core.session.ReadRequest.FetchState;
import io.tributary.core.session.ReadRequest.FetchStateNext;
import io.tributary.core.session.ReadRequest.ReadProgress;
import io.tributary.core.session.SessionEffect.AwaitDrain;
import io.tributary.core.session.SessionEffect.Ended;
import io.tributary.core.session.SessionEffect.Listen;
import io.tributary.core.session.SessionEffect.Publish;
import io.tributary.core.session.SessionEffect.Read;
import io.tributary.core.session.SessionEffect.Send;
import io.tributary.core.session.SessionEffect.SendState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One bound dataset on one connection, the server's side of the protocol: a machine that takes the
 * client's messages and what happens around it ({@link SessionEvent}) and returns what to do
 * ({@link SessionEffect}). It does no I/O; the gateway carries its effects out.
 *
 * <pre>
 * BIND(needsIdent) ──▶ AWAITING_ALLOCATION ──IDENT sent──▶ AWAITING_IDENT
 * BIND             ──────────────────────────────────────▶ AWAITING_IDENT
 * AWAITING_IDENT ──IDENT──▶ (CHECKING_CLAIM) ──▶ CATCHING_UP ⇄ LIVE ──congested──▶ AWAITING_DRAIN
 * AWAITING_IDENT ──STATE_REQUEST──▶ SENDING_STATE ──last segment──▶ CATCHING_UP
 * </pre>
 *
 * Downloads go out in server-version order with no gap ({@link DownloadCursor}): a live changeset
 * goes out only if it follows the last one sent; anything else catches up from the materializer,
 * and live changesets arriving meanwhile wait in a bounded buffer.
 */
public final class ServerSession {

  /** Where the session stands. */
  public enum Phase {
    AWAITING_ALLOCATION,
    AWAITING_IDENT,
    /** IDENT said uploads were acknowledged: checking that history has them. */
    CHECKING_CLAIM,
    /** STATE_REQUEST instead of IDENT: sending the dataset's state, segment by segment. */
    SENDING_STATE,
    /** The client reads too slowly: waiting for its queue to drain, then catching up. */
    AWAITING_DRAIN,
    CATCHING_UP,
    LIVE,
    ENDED
  }

  private final long session;
  private final long binding;
  private final String dataset;
  private final ReplyTo replyTo;
  private final ConnectionLimits limits;
  private final Supplier<UploadSchema> schema;

  /** Who the session's token proved; a REFRESH replaces it. */
  private Identity identity;

  /** What that token allows with the dataset: at least reading, or the session would not be. */
  private Access access;

  private final List<SessionEffect> effects = new ArrayList<>();
  private Phase phase;
  private long clientIdent;
  private long salt;
  private DownloadCursor cursor;
  private int stateSegment;

  /** The highest client version this session has sent; a rejected TRANSACT gives its back. */
  private long lastUploadedVersion;

  /**
   * Client versions published to the sequencer and not yet acknowledged to the client (its upload
   * progress has not reached them), oldest first: what the connection's in-flight limit counts.
   */
  private final ArrayDeque<Long> unacknowledged = new ArrayDeque<>();

  /** The client version of the TRANSACT awaiting its verdict, 0 if none. */
  private long pendingTransact;

  private long uploadedBeforeTransact;

  /** MARK and CLIENT_VERSION_REQUEST answers being read: bounded by the limits. */
  private int requestsInFlight;

  /** MARKs waiting for downloads to reach the history head they were made at. */
  private final List<PendingMark> pendingMarks = new ArrayList<>();

  private record PendingMark(long requestId, long head) {}

  /**
   * @param replyTo where the sequencer's replies to this session are addressed
   * @param schema the schema version now, read once per upload
   * @param identity who the session's token proved
   * @param access what it allows with the dataset: reading at least
   */
  ServerSession(
      ClientMessage.Bind bind,
      long binding,
      ReplyTo replyTo,
      ConnectionLimits limits,
      Supplier<UploadSchema> schema,
      Identity identity,
      Access access) {
    this.identity = identity;
    this.access = access;
    this.session = bind.session();
    this.binding = binding;
    this.dataset = bind.dataset();
    this.replyTo = replyTo;
    this.limits = limits;
    this.schema = schema;
    this.phase = bind.needsIdent() ? Phase.AWAITING_ALLOCATION : Phase.AWAITING_IDENT;
  }

  /** What an operator sees of this session. */
  public SessionSummary summary() {
    return new SessionSummary(
        session,
        dataset,
        clientIdent,
        phase,
        lastUploadedVersion,
        cursor == null ? 0 : cursor.lastSentVersion(),
        unacknowledged.size());
  }

  public Phase phase() {
    return phase;
  }

  public long session() {
    return session;
  }

  long binding() {
    return binding;
  }

  public String dataset() {
    return dataset;
  }

  public Identity identity() {
    return identity;
  }

  public Access access() {
    return access;
  }

  /** A REFRESH's token, and what it allows now: reading at least. */
  void authorize(Identity refreshed, Access allowed) {
    this.identity = refreshed;
    this.access = allowed;
  }

  /** The first effects of a new session: a BIND that needs an ident asks the sequencer for one. */
  List<SessionEffect> start() {
    if (phase == Phase.AWAITING_ALLOCATION) {
      publish(new UploadRequest.AllocateIdent());
    }
    return drain();
  }

  /** A message of the client for this session (never BIND, which made it). */
  List<SessionEffect> on(ClientMessage.ForSession message) {
    if (phase != Phase.ENDED) {
      if (message instanceof ClientMessage.Ident ident) {
        onIdent(ident);
      } else if (message instanceof ClientMessage.StateRequest request) {
        onStateRequest(request);
      } else if (message instanceof ClientMessage.Upload upload) {
        onUpload(upload.changesets());
      } else if (message instanceof ClientMessage.Transact transact) {
        onTransact(transact.changeset());
      } else if (message instanceof ClientMessage.Mark mark) {
        readProgress("MARK", new AnswerMark(mark.requestId()));
      } else if (message instanceof ClientMessage.ClientVersionRequest) {
        readProgress("CLIENT_VERSION_REQUEST", new AnswerClientVersion());
      } else if (message instanceof ClientMessage.Unbind) {
        end();
        send(new ServerMessage.Unbound(session));
      }
    }
    return drain();
  }

  /** Something that happened around the session. */
  List<SessionEffect> on(SessionEvent event) {
    if (phase != Phase.ENDED) {
      dispatch(event);
    }
    return drain();
  }

  /** The connection is gone: end without telling anyone. */
  List<SessionEffect> close() {
    if (phase != Phase.ENDED) {
      end();
    }
    return drain();
  }

  /** Ends the session with an ERROR for the client. */
  List<SessionEffect> refuse(ErrorCode error, String message) {
    fail(error, message);
    return drain();
  }

  private void dispatch(SessionEvent event) {
    if (event instanceof SessionEvent.Live live) {
      onLive(live.item());
    } else if (event instanceof SessionEvent.PageRead read) {
      onPage(read.page());
    } else if (event instanceof SessionEvent.StatePageRead read) {
      onStatePage(read.page());
    } else if (event instanceof SessionEvent.ProgressRead read) {
      onProgress(read);
    } else if (event instanceof SessionEvent.ReadFailed failed) {
      onReadFailed(failed);
    } else if (event instanceof SessionEvent.IdentAllocated allocated) {
      onIdentAllocated(allocated);
    } else if (event instanceof SessionEvent.TransactDecided decided) {
      onTransactDecided(decided);
    } else if (event instanceof SessionEvent.UploadRejected rejected) {
      fail(rejected.error(), rejected.message());
    } else if (event instanceof SessionEvent.PublishFailed failed) {
      fail(ErrorCode.SERVER_UNAVAILABLE, "cannot reach Kafka: " + failed.message());
    } else if (event instanceof SessionEvent.Congested) {
      onCongested();
    } else if (event instanceof SessionEvent.Drained && phase == Phase.AWAITING_DRAIN) {
      catchUp();
    }
  }

  private void onIdentAllocated(SessionEvent.IdentAllocated allocated) {
    if (phase != Phase.AWAITING_ALLOCATION) {
      return; // A duplicate reply after a sequencer restart.
    }
    phase = Phase.AWAITING_IDENT;
    send(new ServerMessage.ServerIdent(session, allocated.ident(), allocated.salt()));
  }

  private void onIdent(ClientMessage.Ident ident) {
    if (phase != Phase.AWAITING_IDENT) {
      fail(
          ErrorCode.PROTOCOL_VIOLATION,
          "IDENT is only allowed once, after BIND (and the server's IDENT)");
      return;
    }
    if (ident.clientIdent() <= 0 || ident.downloadedServerVersion() < 0) {
      fail(
          ErrorCode.BAD_CLIENT_IDENT,
          "client file ident must be positive and versions non-negative");
      return;
    }
    clientIdent = ident.clientIdent();
    salt = ident.salt();
    cursor =
        new DownloadCursor(
            session,
            clientIdent,
            limits.bufferedChangesets(),
            ident.downloadedServerVersion(),
            ident.downloadedServerVersionSalt(),
            // As of its version the client had this acknowledged (checked below): never less.
            ident.lastIntegratedClientVersion());
    long claimed = ident.lastIntegratedClientVersion();
    if (claimed == 0) {
      startDownloading();
    } else {
      phase = Phase.CHECKING_CLAIM;
      read(new ReadProgress(clientIdent, salt, new CheckClaim(claimed)));
    }
  }

  /**
   * The client was told its changesets up to {@code claimed} are integrated; a server that has
   * fewer lost them (restored from an old backup), and the client must know.
   */
  private void checkClaim(long claimed, long integrated) {
    if (claimed > integrated) {
      fail(
          ErrorCode.CLIENT_RESET_REQUIRED,
          "the client's changesets up to "
              + claimed
              + " were acknowledged, but this server's history holds them only up to "
              + integrated);
    } else {
      startDownloading();
    }
  }

  private void startDownloading() {
    effects.add(new Listen(binding, dataset));
    catchUp();
  }

  /** STATE_REQUEST, instead of IDENT: the dataset's state from one snapshot, in segments. */
  private void onStateRequest(ClientMessage.StateRequest request) {
    if (phase != Phase.AWAITING_IDENT) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "STATE_REQUEST is only allowed instead of IDENT");
      return;
    }
    if (request.clientIdent() <= 0) {
      fail(ErrorCode.BAD_CLIENT_IDENT, "client file ident must be positive");
      return;
    }
    clientIdent = request.clientIdent();
    salt = request.salt();
    phase = Phase.SENDING_STATE;
    stateSegment = 0;
    read(new FetchState(clientIdent, salt));
  }

  private void onStatePage(StatePage page) {
    if (phase != Phase.SENDING_STATE) {
      return;
    }
    effects.add(
        new SendState(
            new StateHeader(
                session,
                page.serverVersion(),
                page.salt(),
                page.uploadProgress(),
                stateSegment++,
                page.last()),
            page));
    if (!page.last()) {
      read(new FetchStateNext(page));
      return;
    }
    cursor =
        new DownloadCursor(
            session,
            clientIdent,
            limits.bufferedChangesets(),
            page.serverVersion(),
            page.salt(),
            page.uploadProgress());
    startDownloading();
  }

  private void onUpload(List<Changeset> changesets) {
    if (!access.canWrite()) {
      refuseWrite("UPLOAD");
    } else if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "UPLOAD before IDENT");
    } else if (pendingTransact != 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "UPLOAD while a TRANSACT awaits its verdict");
    } else {
      try {
        long after = lastUploadedVersion;
        List<Changeset> stored = stored(changesets);
        if (!stored.isEmpty()) {
          stored.forEach(changeset -> unacknowledged.add(changeset.clientVersion()));
          publish(new UploadRequest.UploadChangesets(clientIdent, after, stored));
        }
      } catch (Refusal refusal) {
        fail(refusal.error, refusal.getMessage());
      }
    }
  }

  /** TRANSACT: one changeset, integrated only if nothing of another client came first. */
  private void onTransact(Changeset changeset) {
    if (!access.canWrite()) {
      refuseWrite("TRANSACT");
    } else if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "TRANSACT before IDENT");
    } else if (pendingTransact != 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "TRANSACT while another awaits its verdict");
    } else {
      uploadedBeforeTransact = lastUploadedVersion;
      try {
        Changeset stored = stored(List.of(changeset)).get(0);
        pendingTransact = stored.clientVersion();
        unacknowledged.add(pendingTransact);
        publish(new UploadRequest.Transact(clientIdent, uploadedBeforeTransact, stored));
      } catch (Refusal refusal) {
        fail(refusal.error, refusal.getMessage());
      }
    }
  }

  private void onTransactDecided(SessionEvent.TransactDecided decided) {
    if (decided.clientVersion() != pendingTransact) {
      return;
    }
    pendingTransact = 0;
    if (!decided.accepted()) {
      unacknowledged.remove(decided.clientVersion()); // Refused: nothing more will come of it.
      lastUploadedVersion =
          uploadedBeforeTransact; // The client drops it and may reuse the version.
    }
    send(
        new ServerMessage.TransactResult(
            session, decided.clientVersion(), decided.accepted(), decided.message()));
  }

  private void refuseWrite(String message) {
    fail(
        ErrorCode.WRITE_NOT_ALLOWED,
        message + " refused: the token allows dataset \"" + dataset + "\" read-only");
  }

  /** Why a message of the client cannot be taken: the session ends with this error. */
  private static final class Refusal extends Exception {
    private final ErrorCode error;

    Refusal(ErrorCode error, String message) {
      super(message, null, false, false);
      this.error = error;
    }
  }

  /**
   * The changesets in the names history stores them under, if they are this client's, in order, and
   * fit the model of now.
   */
  private List<Changeset> stored(List<Changeset> changesets) throws Refusal {
    long previous = lastUploadedVersion;
    UploadSchema now = schema.get();
    List<Changeset> stored = new ArrayList<>(changesets.size());
    for (Changeset changeset : changesets) {
      if (changeset.originIdent() != clientIdent) {
        throw new Refusal(
            ErrorCode.BAD_PROGRESS,
            "changeset origin "
                + changeset.originIdent()
                + " is not this client file "
                + clientIdent);
      }
      if (changeset.clientVersion() <= previous) {
        throw new Refusal(
            ErrorCode.BAD_PROGRESS,
            "client version "
                + changeset.clientVersion()
                + " after "
                + previous
                + ": client versions increase, and a session sends each changeset once");
      }
      try {
        now.validator().validate(changeset);
      } catch (SchemaViolation violation) {
        throw new Refusal(ErrorCode.SCHEMA_VIOLATION, violation.getMessage());
      }
      stored.add(now.renames().toStored(changeset));
      previous = changeset.clientVersion();
    }
    lastUploadedVersion = previous;
    return stored;
  }

  /** Asks where history and this client stand, for a MARK or a CLIENT_VERSION_REQUEST. */
  private void readProgress(String request, ProgressQuery query) {
    if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, request + " before IDENT");
    } else if (requestsInFlight + pendingMarks.size() >= limits.pendingRequests()) {
      fail(
          ErrorCode.LIMIT_EXCEEDED,
          "at most "
              + limits.pendingRequests()
              + " MARK and CLIENT_VERSION_REQUEST may await their answers in a session");
    } else {
      requestsInFlight++;
      read(new ReadProgress(clientIdent, salt, query));
    }
  }

  private void onProgress(SessionEvent.ProgressRead read) {
    if (read.query() instanceof CheckClaim claim) {
      if (phase == Phase.CHECKING_CLAIM) {
        checkClaim(claim.claimed(), read.lastClientVersion());
      }
      return;
    }
    requestsInFlight = Math.max(0, requestsInFlight - 1);
    if (read.query() instanceof AnswerMark mark) {
      pendingMarks.add(new PendingMark(mark.requestId(), read.head()));
      cursor.noteHead(read.head());
      answerMarks();
      if (phase == Phase.LIVE && read.head() > cursor.lastSentVersion()) {
        catchUp(); // History is ahead of what came live: a record was lost on the way.
      }
    } else {
      send(new ServerMessage.ClientVersion(session, read.lastClientVersion()));
    }
  }

  /** MARKs are answered once every history entry there was when they came has been sent. */
  private void answerMarks() {
    pendingMarks.removeIf(
        mark -> {
          boolean reached = mark.head() <= cursor.lastSentVersion();
          if (reached) {
            send(new ServerMessage.Mark(session, mark.requestId()));
          }
          return reached;
        });
  }

  private void onReadFailed(SessionEvent.ReadFailed failed) {
    ReadRequest request = failed.request();
    if (request instanceof FetchHistory && phase != Phase.CATCHING_UP) {
      return; // Stale: the session moved on.
    }
    if (request instanceof FetchState || request instanceof FetchStateNext) {
      if (phase != Phase.SENDING_STATE) {
        return;
      }
      if (failed.failure() == ReadFailure.STATE_EXPIRED) {
        fail(ErrorCode.SERVER_UNAVAILABLE, "the state transfer took too long; request it again");
        return;
      }
    }
    if (request instanceof ReadProgress progress
        && progress.query() instanceof CheckClaim
        && phase != Phase.CHECKING_CLAIM) {
      return;
    }
    switch (failed.failure()) {
      case HISTORY_DIVERGED -> fail(ErrorCode.CLIENT_RESET_REQUIRED, failed.message());
      case UNKNOWN_CLIENT_FILE -> fail(ErrorCode.BAD_CLIENT_IDENT, failed.message());
      default -> fail(ErrorCode.SERVER_UNAVAILABLE, "history is not available right now");
    }
  }

  private void onLive(HistoryItem item) {
    if (phase == Phase.CATCHING_UP) {
      cursor.buffer(item);
    } else if (phase == Phase.LIVE) {
      deliver(item);
    } // Else waiting for a drain: the catch-up after it fetches this from history.
  }

  private void deliver(HistoryItem item) {
    switch (cursor.fit(item)) {
      case OLD -> {}
      case NEXT -> {
        effects.addAll(cursor.live(item));
        answerMarks();
      }
      case AHEAD -> {
        cursor.buffer(item);
        catchUp(); // A gap: a record not seen yet, fetched from the materializer.
      }
    }
  }

  /** Stops pushing to a slow client; history is the buffer meanwhile. */
  private void onCongested() {
    if (phase == Phase.LIVE) {
      phase = Phase.AWAITING_DRAIN;
      cursor.dropBuffer();
      effects.add(new AwaitDrain(binding));
    } else if (phase == Phase.CATCHING_UP) {
      cursor.dropBuffer(); // The next page waits for the drain, then history has these.
    }
  }

  private void catchUp() {
    phase = Phase.CATCHING_UP;
    cursor.takeOverflow(); // This fetch reads everything buffered or dropped so far anyway.
    read(new FetchHistory(cursor.lastSentVersion(), cursor.lastSentSalt(), clientIdent, salt));
  }

  private void onPage(CatchUpPage page) {
    if (phase != Phase.CATCHING_UP) {
      return;
    }
    if (cursor.lastSentVersion() > page.head()) {
      // The client has history this server does not: e.g. the server was restored from a backup.
      fail(
          ErrorCode.CLIENT_RESET_REQUIRED,
          "the client has server version "
              + cursor.lastSentVersion()
              + " but the server's history ends at "
              + page.head());
      return;
    }
    effects.addAll(cursor.page(page));
    answerMarks();
    if (cursor.lastSentVersion() < page.head() || cursor.takeOverflow()) {
      catchUp();
      return;
    }
    phase = Phase.LIVE;
    while (phase == Phase.LIVE) {
      HistoryItem item = cursor.pollBuffered();
      if (item == null) {
        break;
      }
      deliver(item);
    }
  }

  /** Whether the client has identified its client file: uploads are allowed from then on. */
  private boolean identified() {
    return phase == Phase.CHECKING_CLAIM
        || phase == Phase.AWAITING_DRAIN
        || phase == Phase.CATCHING_UP
        || phase == Phase.LIVE;
  }

  private void fail(ErrorCode error, String message) {
    if (phase != Phase.ENDED) {
      end();
      send(new ServerMessage.Error(session, error, message));
    }
  }

  private void end() {
    phase = Phase.ENDED;
    pendingMarks.clear();
    unacknowledged.clear();
    if (cursor != null) {
      cursor.dropBuffer();
    }
    effects.add(new Ended(binding, dataset));
  }

  private void publish(UploadRequest request) {
    effects.add(new Publish(binding, dataset, replyTo, request));
  }

  private void read(ReadRequest request) {
    effects.add(new Read(binding, dataset, request));
  }

  private void send(ServerMessage message) {
    effects.add(new Send(message));
  }

  /** Changesets published for this session that its client has not seen acknowledged yet. */
  int uploadsInFlight() {
    return unacknowledged.size();
  }

  private List<SessionEffect> drain() {
    while (cursor != null
        && !unacknowledged.isEmpty()
        && unacknowledged.peekFirst() <= cursor.uploadProgress()) {
      unacknowledged.pollFirst();
    }
    List<SessionEffect> out = List.copyOf(effects);
    effects.clear();
    return out;
  }
}

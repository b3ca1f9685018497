package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.model.SchemaViolation;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.TransactDecided;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.sequencing.UploadRequest.AllocateIdent;
import io.tributary.core.sequencing.UploadRequest.UploadChangesets;
import io.tributary.schemas.CatchUpEntry;
import io.tributary.schemas.CatchUpPage;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientVersion;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.StatePage;
import io.tributary.schemas.StateRequest;
import io.tributary.schemas.Transact;
import io.tributary.schemas.TransactResult;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.ChangesetCodec;
import io.tributary.schemas.codec.MalformedFrameException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound dataset on one connection: the protocol state machine of a session. Runs on its
 * connection's event loop only.
 *
 * <pre>
 * BIND(needsIdent) ──▶ AWAITING_ALLOCATION ──IDENT sent──▶ AWAITING_IDENT
 * BIND             ──────────────────────────────────────▶ AWAITING_IDENT
 * AWAITING_IDENT ──client IDENT──▶ CATCHING_UP ⇄ LIVE (gaps in live downloads → catch up again)
 * </pre>
 *
 * Downloads go out strictly in server-version order with no gap: live changesets are delivered only
 * if they follow the last one sent; anything else triggers a catch-up from the materializer, and
 * live changesets arriving meanwhile wait in a buffer.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private enum State {
    AWAITING_ALLOCATION,
    AWAITING_IDENT,
    /** STATE_REQUEST instead of IDENT: sending the dataset's state, segment by segment. */
    SENDING_STATE,
    /** The client reads too slowly: waiting for its write queue to drain, then catching up. */
    AWAITING_DRAIN,
    CATCHING_UP,
    LIVE,
    ENDED
  }

  /** Live changesets kept while a catch-up is in flight; beyond this, fetch them again after. */
  private static final int MAX_BUFFERED = 10_000;

  private final Connection connection;
  private final long id;
  private final String dataset;
  private final ArrayDeque<Materialized> buffered = new ArrayDeque<>();
  private boolean bufferOverflowed;
  private State state;
  private long clientIdent;
  private long salt;
  private long lastSentVersion;
  private long lastSentSalt;
  private long lastSentHistoryBytes;
  private long latestServerVersion;
  private long latestHistoryBytes;
  private long uploadProgress;

  /** The client version of the TRANSACT awaiting its verdict, 0 if none. */
  private long pendingTransact;

  /** The highest client version this session has sent; a rejected TRANSACT gives its back. */
  private long lastUploadedVersion;

  private long uploadedBeforeTransact;

  /** MARK requests waiting for downloads to reach the history head they were made at. */
  private final List<PendingMark> pendingMarks = new ArrayList<>();

  private record PendingMark(long requestId, long head) {}

  Session(Connection connection, long id, String dataset, boolean needsIdent) {
    this.connection = connection;
    this.id = id;
    this.dataset = dataset;
    this.state = needsIdent ? State.AWAITING_ALLOCATION : State.AWAITING_IDENT;
  }

  long id() {
    return id;
  }

  long connectionId() {
    return connection.id();
  }

  String dataset() {
    return dataset;
  }

  void runOnContext(Runnable action) {
    connection.runOnContext(action);
  }

  void start() {
    connection.registry().addressable(this);
    if (state == State.AWAITING_ALLOCATION) {
      connection
          .uploads()
          .publish(dataset, replyTo(), new AllocateIdent())
          .onFailure(
              error ->
                  fail(ErrorCode.SERVER_UNAVAILABLE, "cannot reach Kafka: " + error.getMessage()));
    }
  }

  void onIdentAllocated(IdentAllocated allocated) {
    if (state != State.AWAITING_ALLOCATION) {
      return; // A duplicate reply after a sequencer restart.
    }
    state = State.AWAITING_IDENT;
    connection.send(new ServerIdent(id, allocated.ident(), allocated.salt()));
  }

  void onClientIdent(ClientIdent ident) {
    if (state != State.AWAITING_IDENT) {
      fail(
          ErrorCode.PROTOCOL_VIOLATION,
          "IDENT is only allowed once, after BIND (and the server's IDENT)");
      return;
    }
    if (ident.getClientIdent() <= 0 || ident.getDownloadedServerVersion() < 0) {
      fail(
          ErrorCode.BAD_CLIENT_IDENT,
          "client file ident must be positive and versions non-negative");
      return;
    }
    clientIdent = ident.getClientIdent();
    salt = ident.getSalt();
    lastSentVersion = ident.getDownloadedServerVersion();
    lastSentSalt = ident.getDownloadedServerVersionSalt();
    lastSentHistoryBytes = -1; // Unknown until the first catch-up page tells.
    state = State.CATCHING_UP;
    long claimed = ident.getLastIntegratedClientVersion();
    if (claimed == 0) {
      startDownloading();
      return;
    }
    connection
        .catchUp()
        .progress(dataset, clientIdent, salt)
        .onSuccess(progress -> checkClaim(claimed, progress.lastClientVersion()))
        .onFailure(this::onReadFailed);
  }

  /**
   * The client was told its changesets up to {@code claimed} are integrated; a server that has
   * fewer lost them (restored from an old backup), and the client must know.
   */
  private void checkClaim(long claimed, long integrated) {
    if (state != State.CATCHING_UP) {
      return;
    }
    if (claimed > integrated) {
      fail(
          ErrorCode.CLIENT_RESET_REQUIRED,
          "the client's changesets up to "
              + claimed
              + " were acknowledged, but this server's history holds them only up to "
              + integrated);
      return;
    }
    startDownloading();
  }

  private void startDownloading() {
    connection.registry().listen(this);
    catchUp();
  }

  /**
   * STATE_REQUEST, instead of IDENT: the dataset's state from one snapshot, in segments, then
   * downloads from the snapshot's version as after an IDENT there.
   */
  void onStateRequest(StateRequest request) {
    if (state != State.AWAITING_IDENT) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "STATE_REQUEST is only allowed instead of IDENT");
      return;
    }
    if (request.getClientIdent() <= 0) {
      fail(ErrorCode.BAD_CLIENT_IDENT, "client file ident must be positive");
      return;
    }
    clientIdent = request.getClientIdent();
    salt = request.getSalt();
    state = State.SENDING_STATE;
    connection
        .catchUp()
        .state(dataset, clientIdent, salt)
        .onSuccess(page -> onStatePage(page, 0))
        .onFailure(this::onStateFailed);
  }

  private void onStatePage(StatePage page, int segment) {
    if (state != State.SENDING_STATE) {
      return;
    }
    boolean last = page.getNext() == null;
    connection.send(
        io.tributary.schemas.State.newBuilder()
            .setSession(id)
            .setServerVersion(page.getServerVersion())
            .setServerVersionSalt(page.getServerVersionSalt())
            .setUploadProgress(page.getUploadProgress())
            .setSegment(segment)
            .setLast(last)
            .setObjects(StateNames.toCurrent(page.getObjects(), connection.renames()))
            .build());
    if (!last) {
      Runnable next =
          () ->
              connection
                  .catchUp()
                  .stateNext(dataset, page.getSnapshot(), page.getNext())
                  .onSuccess(nextPage -> onStatePage(nextPage, segment + 1))
                  .onFailure(this::onStateFailed);
      if (connection.congested()) {
        connection.whenDrained(next); // The socket's write queue bounds what the state holds.
      } else {
        next.run();
      }
      return;
    }
    lastSentVersion = page.getServerVersion();
    lastSentSalt = page.getServerVersionSalt();
    lastSentHistoryBytes = -1; // The first catch-up page tells.
    uploadProgress = page.getUploadProgress();
    connection.registry().listen(this);
    catchUp();
  }

  private void onStateFailed(Throwable error) {
    if (state != State.SENDING_STATE) {
      return;
    }
    if (error instanceof CatchUpClient.StateExpired) {
      fail(ErrorCode.SERVER_UNAVAILABLE, "the state transfer took too long; request it again");
    } else {
      onReadFailed(error);
    }
  }

  void onUpload(Upload upload) {
    if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "UPLOAD before IDENT");
      return;
    }
    if (pendingTransact != 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "UPLOAD while a TRANSACT awaits its verdict");
      return;
    }
    List<Changeset> changesets = accepted(upload.getChangesets());
    if (changesets != null && !changesets.isEmpty()) {
      publish(new UploadChangesets(clientIdent, changesets));
    }
  }

  /** REFRESH: a new token for this session; a refused one ends it. */
  void onRefresh(Refresh refresh) {
    connection
        .refusal(refresh.getToken())
        .ifPresent(
            reason ->
                fail(ErrorCode.AUTHENTICATION_FAILED, "the refreshed token is refused: " + reason));
  }

  /** TRANSACT: one changeset, integrated only if nothing of another client came first. */
  void onTransact(Transact transact) {
    if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "TRANSACT before IDENT");
      return;
    }
    if (pendingTransact != 0) {
      fail(ErrorCode.PROTOCOL_VIOLATION, "TRANSACT while another awaits its verdict");
      return;
    }
    uploadedBeforeTransact = lastUploadedVersion;
    List<Changeset> changesets = accepted(List.of(transact.getBody()));
    if (changesets != null) {
      pendingTransact = changesets.get(0).clientVersion();
      publish(new UploadRequest.Transact(clientIdent, changesets.get(0)));
    }
  }

  void onTransactDecided(TransactDecided decided) {
    if (state == State.ENDED || decided.clientVersion() != pendingTransact) {
      return;
    }
    pendingTransact = 0;
    if (!decided.accepted()) {
      lastUploadedVersion =
          uploadedBeforeTransact; // The client drops it and may reuse the version.
    }
    connection.send(
        new TransactResult(id, decided.clientVersion(), decided.accepted(), decided.message()));
  }

  /**
   * The changesets of {@code bodies}, decoded and checked; null after ending the session (or the
   * connection) with the reason they cannot be accepted.
   */
  private List<Changeset> accepted(List<ChangesetBody> bodies) {
    try {
      return checked(decoded(bodies));
    } catch (Bodies.TooLargeException e) {
      connection.fail(ErrorCode.MESSAGE_TOO_LARGE, e.getMessage());
    } catch (MalformedFrameException e) {
      connection.fail(ErrorCode.MALFORMED_MESSAGE, e.getMessage());
    } catch (SchemaViolation e) {
      fail(ErrorCode.SCHEMA_VIOLATION, e.getMessage());
    } catch (IllegalArgumentException e) {
      fail(ErrorCode.BAD_PROGRESS, e.getMessage());
    }
    return null;
  }

  private void publish(UploadRequest request) {
    connection
        .uploads()
        .publish(dataset, replyTo(), request)
        .onFailure(
            error ->
                fail(ErrorCode.SERVER_UNAVAILABLE, "cannot reach Kafka: " + error.getMessage()));
  }

  /** The changesets of a message; all of them together become one Kafka record: one limit. */
  private static List<Changeset> decoded(List<ChangesetBody> bodies) {
    long declared = Bodies.declaredSize(bodies);
    if (declared > Bodies.MAX_SIZE) {
      throw new Bodies.TooLargeException(
          "an UPLOAD declares "
              + declared
              + " bytes of changesets; at most "
              + Bodies.MAX_SIZE
              + " are allowed");
    }
    return bodies.stream().map(Bodies::decode).toList();
  }

  /** MARK: answered once every history entry there is now has been sent. */
  void onMark(Mark mark) {
    withProgress(
        "MARK",
        progress -> {
          pendingMarks.add(new PendingMark(mark.getRequestId(), progress.head()));
          latestServerVersion = Math.max(latestServerVersion, progress.head());
          answerMarks();
        });
  }

  void onClientVersionRequest() {
    withProgress(
        "CLIENT_VERSION_REQUEST",
        progress -> connection.send(new ClientVersion(id, progress.lastClientVersion())));
  }

  /** Reads where history and this client stand, then {@code then}, if the session still is. */
  private void withProgress(String request, Consumer<CatchUpClient.Progress> then) {
    if (!identified()) {
      fail(ErrorCode.PROTOCOL_VIOLATION, request + " before IDENT");
      return;
    }
    connection
        .catchUp()
        .progress(dataset, clientIdent, salt)
        .onSuccess(
            progress -> {
              if (state != State.ENDED) {
                then.accept(progress);
              }
            })
        .onFailure(this::onReadFailed);
  }

  private void answerMarks() {
    if (state == State.ENDED || pendingMarks.isEmpty()) {
      return;
    }
    for (PendingMark mark : List.copyOf(pendingMarks)) {
      if (mark.head() <= lastSentVersion) {
        pendingMarks.remove(mark);
        connection.send(new Mark(id, mark.requestId()));
      }
    }
  }

  /**
   * The changesets, in the names history stores, if they are in order, from this client and fit the
   * model; else throws.
   */
  private List<Changeset> checked(List<Changeset> changesets) {
    long previous = lastUploadedVersion;
    List<Changeset> stored = new ArrayList<>(changesets.size());
    CurrentSchema.Snapshot schema = connection.schema();
    for (Changeset changeset : changesets) {
      if (changeset.originIdent() != clientIdent) {
        throw new IllegalArgumentException(
            "changeset origin "
                + changeset.originIdent()
                + " is not this client file "
                + clientIdent);
      }
      if (changeset.clientVersion() <= previous) {
        throw new IllegalArgumentException(
            "client version "
                + changeset.clientVersion()
                + " after "
                + previous
                + ": client versions increase, and a session sends each changeset once");
      }
      schema.validator().validate(changeset);
      stored.add(schema.version().renames().toStored(changeset));
      previous = changeset.clientVersion();
    }
    lastUploadedVersion = previous;
    return stored;
  }

  /** Whether the client has identified its client file: uploads are allowed from then on. */
  private boolean identified() {
    return state == State.AWAITING_DRAIN || state == State.CATCHING_UP || state == State.LIVE;
  }

  void onIntegrated(Materialized integrated) {
    switch (state) {
      case CATCHING_UP -> buffer(integrated);
      case LIVE -> deliver(integrated);
      default -> {} // Waiting for a drain: the catch-up after it fetches this from history.
    }
  }

  private void buffer(Materialized integrated) {
    if (buffered.size() < MAX_BUFFERED) {
      buffered.add(integrated);
    } else {
      bufferOverflowed = true; // Memory stays bounded; the history has it.
    }
  }

  void onRejected(UploadRejected rejected) {
    fail(rejected.error(), rejected.message());
  }

  void onUnbind() {
    end();
    connection.send(new io.tributary.schemas.Unbound(id));
  }

  /** Ends the session without telling the client (connection closed, or after an error). */
  void end() {
    state = State.ENDED;
    buffered.clear();
    pendingMarks.clear();
    connection.registry().remove(this);
    connection.forget(this);
  }

  private void deliver(Materialized materialized) {
    long version = materialized.version();
    if (version <= lastSentVersion) {
      return;
    }
    if (connection.congested()) {
      catchUpWhenDrained();
      return;
    }
    if (version > lastSentVersion + 1 || lastSentHistoryBytes < 0) {
      buffered.add(materialized);
      catchUp(); // A gap: a record we have not seen yet, fetch it from the materializer.
      return;
    }
    Changeset changeset = materialized.integrated().changeset();
    List<DownloadedChangeset> changesets = new ArrayList<>(1);
    if (changeset.originIdent() == clientIdent) {
      uploadProgress = Math.max(uploadProgress, changeset.clientVersion());
    } else {
      changesets.add(new DownloadedChangeset(version, materialized.body()));
    }
    sent(version, materialized.salt(), materialized.historyBytes());
    sendDownload(changesets);
  }

  /** Records that the client has everything up to {@code version} once the next DOWNLOAD is out. */
  private void sent(long version, long salt, long historyBytes) {
    lastSentVersion = version;
    lastSentSalt = salt;
    lastSentHistoryBytes = historyBytes;
    latestHistoryBytes = Math.max(latestHistoryBytes, historyBytes);
  }

  private void sendDownload(List<DownloadedChangeset> changesets) {
    latestServerVersion = Math.max(latestServerVersion, lastSentVersion);
    long downloadable = Math.max(0, latestHistoryBytes - lastSentHistoryBytes);
    connection.send(
        Download.newBuilder()
            .setSession(id)
            .setServerVersion(lastSentVersion)
            .setServerVersionSalt(lastSentSalt)
            .setUploadProgress(uploadProgress)
            .setLatestServerVersion(latestServerVersion)
            .setDownloadableBytes(downloadable)
            .setChangesets(changesets)
            .build());
    answerMarks();
  }

  /** Stops pushing to a slow client; the materializer's history is the buffer meanwhile. */
  private void catchUpWhenDrained() {
    LOG.debug("Session {} of {} reads slowly: pausing at version {}", id, dataset, lastSentVersion);
    state = State.AWAITING_DRAIN;
    buffered.clear();
    bufferOverflowed = false;
    connection.whenDrained(
        () -> {
          if (state == State.AWAITING_DRAIN) {
            catchUp();
          }
        });
  }

  private void catchUp() {
    state = State.CATCHING_UP;
    connection
        .catchUp()
        .fetch(dataset, lastSentVersion, lastSentSalt, clientIdent, salt)
        .onSuccess(this::onCatchUpPage)
        .onFailure(this::onCatchUpFailed);
  }

  /**
   * Sends a page of history as DOWNLOADs. A message's upload progress holds as of its last version,
   * so the page is cut after each of the client's own changesets: the client must still treat its
   * changeset as pending while it integrates the entries before it, and no longer afterwards.
   */
  private void onCatchUpPage(CatchUpPage page) {
    if (state != State.CATCHING_UP) {
      return;
    }
    if (lastSentVersion > page.getHead()) {
      // The client has history this server does not: e.g. the server was restored from a backup.
      fail(
          ErrorCode.CLIENT_RESET_REQUIRED,
          "the client has server version "
              + lastSentVersion
              + " but the server's history ends at "
              + page.getHead());
      return;
    }
    latestServerVersion = Math.max(latestServerVersion, page.getHead());
    latestHistoryBytes = Math.max(latestHistoryBytes, page.getHeadHistoryBytes());
    if (lastSentHistoryBytes < 0) {
      lastSentHistoryBytes = page.getAfterHistoryBytes(); // The first page after IDENT.
    }
    List<DownloadedChangeset> others = new ArrayList<>();
    for (CatchUpEntry entry : page.getEntries()) {
      if (entry.getServerVersion() <= lastSentVersion) {
        continue;
      }
      sent(entry.getServerVersion(), entry.getSalt(), entry.getHistoryBytes());
      Changeset changeset = ChangesetCodec.fromAvro(entry.getChangeset());
      if (changeset.originIdent() == clientIdent) {
        uploadProgress = Math.max(uploadProgress, changeset.clientVersion());
        sendDownload(others);
        others = new ArrayList<>();
      } else {
        others.add(
            new DownloadedChangeset(
                lastSentVersion, Bodies.encode(connection.renames().toCurrent(changeset))));
      }
    }
    if (lastSentVersion >= page.getHead()) {
      uploadProgress = Math.max(uploadProgress, page.getUploadProgress());
    }
    if (!others.isEmpty() || page.getEntries().isEmpty() || lastSentVersion >= page.getHead()) {
      sendDownload(others);
    }
    if (connection.congested()) {
      catchUpWhenDrained();
      return;
    }
    if (lastSentVersion < page.getHead() || bufferOverflowed) {
      bufferOverflowed = false;
      catchUp();
      return;
    }
    state = State.LIVE;
    while (state == State.LIVE && !buffered.isEmpty()) {
      deliver(buffered.poll());
    }
  }

  private void onCatchUpFailed(Throwable error) {
    if (state == State.CATCHING_UP) {
      onReadFailed(error);
    }
  }

  /** A read from the materializer failed: the client file is unknown, or history unreachable. */
  private void onReadFailed(Throwable error) {
    if (error instanceof CatchUpClient.HistoryDiverged) {
      fail(ErrorCode.CLIENT_RESET_REQUIRED, error.getMessage());
    } else if (error instanceof CatchUpClient.UnknownClientFile) {
      fail(ErrorCode.BAD_CLIENT_IDENT, error.getMessage());
    } else {
      LOG.warn("Catch-up of {} failed: {}", dataset, error.toString());
      fail(ErrorCode.SERVER_UNAVAILABLE, "history is not available right now");
    }
  }

  private void fail(ErrorCode error, String message) {
    if (state == State.ENDED) {
      return;
    }
    end();
    connection.sendError(id, error, message);
  }

  private ReplyTo replyTo() {
    return new ReplyTo(connection.registry().gatewayId(), connection.id(), id);
  }
}

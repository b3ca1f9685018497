package io.tributary.core.session;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Model;
import io.tributary.core.model.SyncPrecedence;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.session.ClientEffect.Connection;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.LocalReplica;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * The client's side of a session, for one dataset: a machine that takes what the app does, what the
 * server sends, and what becomes of the socket and the timers, changes the local copy through
 * {@link ClientCopy}, and returns what to do ({@link ClientEffect}). It does no I/O and owns no
 * thread; the SDK is its shell.
 *
 * <p>A lost connection is opened again after a growing delay ({@link Backoff}) while the app wants
 * to be connected. Local changes are uploaded once the session is identified and re-uploaded after
 * a reconnect (the server drops what it has). A changeset the server refuses for good does not stop
 * the others: the uploads are isolated one at a time until the culprit is known, which is then
 * taken out of the copy ({@link ClientEffect.Refused}), and sync goes on.
 */
public final class ClientSession {

  /** This SDK runs one session per connection. */
  public static final long SESSION = 1;

  private enum Link {
    CLOSED,
    OPENING,
    OPEN
  }

  private final String dataset;
  private final ClientCopy copy;
  private final LocalReplica replica;
  private final HybridClock clock;
  private final ChangesetValidator validator;
  private final SyncPrecedence precedence;
  private final Backoff backoff;
  private final DoubleSupplier jitter;
  private final List<ClientEffect> effects = new ArrayList<>();

  private boolean wanted;
  private Link link = Link.CLOSED;
  private boolean reconnectPending;
  private int attempts;

  /** When the server said to come back, for the next reconnect only. */
  private java.time.Duration comeBackAfter;

  private Connection connection = Connection.DISCONNECTED;
  private boolean identified;

  /** A BIND asked the server for a client file ident, and it has not come yet. */
  private boolean awaitingIdent;

  private boolean receivingState;
  private boolean firstOpenWithState = true;

  /**
   * Client versions uploaded in this session and not acknowledged yet. A sorted set, not a list:
   * every write looks up each pending changeset in it, and with a backlog of thousands a list made
   * each write cost the square of the backlog.
   */
  private final NavigableSet<Long> inFlight = new TreeSet<>();

  /** After a refusal among several: one changeset per UPLOAD until the culprit is known. */
  private boolean isolating;

  /** Refused changesets whose objects the app hears of once the rebuilt copy is in. */
  private final List<Changeset> compensated = new ArrayList<>();

  private Transacting transacting;

  /**
   * Waiters for {@link #awaitSynced}, with the MARK each waits for: {@link #MARK_DUE} if it needs
   * the next one, {@link #MARK_AFTER_DOWNLOAD} if its last came back with changes still pending. At
   * most one MARK is out at a time, shared by every waiter that was there when it was sent: the
   * server bounds the requests a session may have awaiting answers, and an app may poll.
   */
  private final Map<Long, Long> syncWaiters = new LinkedHashMap<>();

  private static final long MARK_DUE = 0;
  private static final long MARK_AFTER_DOWNLOAD = -1;

  /** The MARK out, 0 if none. */
  private long markOut;

  private long lastMark;

  /** A TRANSACT under way: its changeset, and what is known of its fate so far. */
  private static final class Transacting {
    private final Changeset changeset;
    private boolean sent;
    private boolean accepted;
    private boolean integratedLocally;

    Transacting(Changeset changeset) {
      this.changeset = changeset;
    }
  }

  /**
   * @param model the data model: local writes are checked against it, and it gives the sync
   *     precedence of changes; null if the app does not give one
   * @param clock the hybrid logical clock of this client
   * @param jitter random numbers in [0, 1) that spread reconnects
   */
  public ClientSession(
      String dataset,
      ClientCopy copy,
      Model model,
      HybridClock clock,
      Backoff backoff,
      DoubleSupplier jitter) {
    this.dataset = dataset;
    this.copy = copy;
    this.replica = copy.replica();
    this.clock = clock;
    this.validator = model == null ? null : new ChangesetValidator(model);
    this.precedence = model == null ? null : new SyncPrecedence(model);
    this.backoff = backoff;
    this.jitter = jitter;
    clock.observe(copy.meta().clock());
  }

  public Connection connection() {
    return connection;
  }

  /** Whether a TRANSACT awaits its verdict: local writes wait for it. */
  public boolean transacting() {
    return transacting != null;
  }

  /** Whether the socket is open. */
  public boolean connected() {
    return link == Link.OPEN;
  }

  /** Whether a first open asks for the dataset's state (the default) or replays its history. */
  public void firstOpenWithState(boolean useState) {
    firstOpenWithState = useState;
  }

  // ---- The app ----

  /** Connects, and stays connected until {@link #disconnect}. */
  public List<ClientEffect> connect() {
    wanted = true;
    if (link == Link.CLOSED && !reconnectPending) {
      open();
    }
    return drain();
  }

  /** Closes the connection and stays offline; local writes go on. */
  public List<ClientEffect> disconnect() {
    wanted = false;
    if (reconnectPending) {
      reconnectPending = false;
      effects.add(new ClientEffect.CancelReconnect());
    }
    if (link == Link.OPEN) {
      effects.add(new ClientEffect.Close());
      lost();
    }
    setConnection(Connection.DISCONNECTED);
    return drain();
  }

  /**
   * A local transaction: checked against the copy and the model, then applied, made durable and
   * uploaded when connected.
   *
   * @throws io.tributary.core.state.NoSuchObjectException if it changes an object the copy lacks
   * @throws io.tributary.core.state.ListIndexOutOfRangeException if a list index addresses nothing
   * @throws io.tributary.core.model.SchemaViolation if it does not fit the model
   * @throws IllegalStateException while a TRANSACT awaits its verdict
   */
  public List<ClientEffect> write(List<Instruction> instructions) {
    if (transacting != null) {
      throw new IllegalStateException("a TRANSACT awaits its verdict: write after it");
    }
    Changeset changeset = changeset(instructions);
    replica.applyLocal(changeset);
    copy.commit(copy.meta().withLocal(changeset.clientVersion(), changeset.timestamp()));
    effects.add(new ClientEffect.Changed(changeset, false));
    if (identified) {
      upload();
    }
    return drain();
  }

  /**
   * A change that must not be merged: sent as TRANSACT and applied only if the server accepts it
   * ({@link ClientEffect.TransactSettled}).
   */
  public List<ClientEffect> transact(List<Instruction> instructions) {
    if (!identified) {
      throw new IllegalStateException("a TRANSACT needs a connection: wait until CONNECTED");
    }
    if (transacting != null) {
      throw new IllegalStateException("another TRANSACT awaits its verdict");
    }
    if (isolating) {
      throw new IllegalStateException(
          "earlier changes are being uploaded one at a time after a refusal: TRANSACT after them");
    }
    transacting = new Transacting(changeset(instructions));
    sendTransact();
    return drain();
  }

  /** Sends a fresh token for the running session. */
  public List<ClientEffect> refresh(String token) {
    if (link == Link.OPEN && token != null) {
      send(new ClientMessage.Refresh(SESSION, token));
    }
    return drain();
  }

  /**
   * Reports {@link ClientEffect.Synced} for {@code waiter} once every local change is uploaded and
   * acknowledged and everything the server had then has been downloaded (a MARK round trip).
   */
  public List<ClientEffect> awaitSynced(long waiter) {
    syncWaiters.put(waiter, MARK_DUE);
    markIfSettled();
    return drain();
  }

  /** The app stopped waiting. */
  public List<ClientEffect> forget(long waiter) {
    syncWaiters.remove(waiter);
    return drain();
  }

  /**
   * Starts this copy over after the server said it must: the objects go, a new client file ident is
   * asked for, and the state comes anew on the next connect. With {@code keepLocalChanges}, the
   * changes not yet acknowledged are applied again on that state and uploaded.
   */
  public List<ClientEffect> resetLocalCopy(boolean keepLocalChanges) {
    disconnect();
    copy.clearObjects();
    copy.clearStaged();
    replica.reset(keepLocalChanges);
    copy.commit(copy.meta().startedOver());
    return drain();
  }

  // ---- The socket and the timers ----

  /** The socket opened; {@code token} is the one it was opened with, for the BIND. */
  public List<ClientEffect> opened(String token) {
    if (link != Link.OPENING) {
      return drain();
    }
    if (!wanted) {
      link = Link.CLOSED; // Disconnected while it was opening.
      effects.add(new ClientEffect.Close());
      return drain();
    }
    link = Link.OPEN;
    identified = false;
    effects.add(new ClientEffect.StartPings());
    long ident = copy.meta().clientIdent();
    awaitingIdent = ident == 0;
    send(new ClientMessage.Bind(SESSION, dataset, token, awaitingIdent));
    if (ident != 0) {
      identify();
    }
    return drain();
  }

  /** The socket closed, or could not be opened. */
  public List<ClientEffect> closed() {
    if (link != Link.CLOSED) {
      lost();
    }
    return drain();
  }

  /**
   * The server refused the connection and said when to come back (HTTP {@code Retry-After} on a 503
   * or a 429): the next attempt waits that long rather than the backoff's next step.
   */
  public List<ClientEffect> refused(java.time.Duration retryAfter) {
    if (link != Link.CLOSED) {
      comeBackAfter = retryAfter;
      lost();
    }
    return drain();
  }

  public List<ClientEffect> reconnectDue() {
    if (reconnectPending) {
      reconnectPending = false;
      if (wanted && link == Link.CLOSED) {
        open();
      } else {
        setConnection(Connection.DISCONNECTED);
      }
    }
    return drain();
  }

  public List<ClientEffect> pingDue(long now) {
    if (link == Link.OPEN) {
      send(new ClientMessage.Ping(now));
    }
    return drain();
  }

  // ---- The server ----

  public List<ClientEffect> received(ServerMessage message) {
    if (link != Link.OPEN) {
      return drain();
    }
    if (message instanceof ServerMessage.Download download) {
      onDownload(download);
    } else if (message instanceof ServerMessage.State segment) {
      onState(segment);
    } else if (message instanceof ServerMessage.ServerIdent ident && awaitingIdent) {
      awaitingIdent = false;
      replica.assignOrigin(ident.clientIdent()); // Changesets written before the ident.
      copy.commit(copy.meta().withIdent(ident.clientIdent(), ident.salt()));
      identify();
    } else if (message instanceof ServerMessage.Error error) {
      onError(error);
    } else if (message instanceof ServerMessage.TransactResult result) {
      onTransactResult(result);
    } else if (message instanceof ServerMessage.Mark mark) {
      onMark(mark.requestId());
    }
    return drain();
  }

  private void identify() {
    ClientMeta meta = copy.meta();
    boolean firstOpen = firstOpenWithState && meta.serverVersion() == 0;
    if ((firstOpen && transacting == null) || meta.needsState()) {
      receivingState = true;
      send(new ClientMessage.StateRequest(SESSION, meta.clientIdent(), meta.salt()));
      return;
    }
    send(
        new ClientMessage.Ident(
            SESSION,
            meta.clientIdent(),
            meta.salt(),
            replica.serverVersion(),
            meta.serverVersionSalt(),
            meta.acknowledgedClientVersion()));
    startSyncing();
  }

  /** Identified: re-uploads what the server may not have (it drops what it has). */
  private void startSyncing() {
    identified = true;
    upload();
    sendTransactIfClear();
    markIfSettled();
  }

  /**
   * Sends the TRANSACT under way, unless it is out already or uploads are being isolated: a refusal
   * must name one thing out, so while isolating it waits until nothing else is.
   */
  private void sendTransactIfClear() {
    boolean clear = !isolating || (inFlight.isEmpty() && replica.pendingCount() == 0);
    if (transacting != null && !transacting.sent && !transacting.accepted && clear) {
      sendTransact(); // After a lost connection: an integrated one is accepted again.
    }
  }

  /**
   * A segment of the state, staged and committed as it comes (an interrupted transfer starts
   * again). The app's objects stay as they were, and local writes go on on them, until the last
   * segment: then the state replaces them, with every pending changeset applied again on it.
   */
  private void onState(ServerMessage.State segment) {
    if (!receivingState) {
      return;
    }
    if (segment.header().segment() == 0) {
      copy.clearStaged();
    }
    for (ServerMessage.StateObject object : segment.objects()) {
      copy.stage(object.key(), object.properties());
    }
    copy.commit(copy.meta());
    if (!segment.header().last()) {
      return;
    }
    copy.adoptStaged();
    long version = segment.header().serverVersion();
    replica.acknowledge(segment.header().uploadProgress(), version);
    // Written during the transfer (or kept over a reset): still this copy's, and from now on
    // made on the state, for the server as for this copy.
    replica.rebaseOnto(version);
    replica.reapplyPending();
    copy.commit(
        copy.meta()
            .withServer(version, segment.header().salt(), segment.header().uploadProgress())
            .withNeedsState(false));
    receivingState = false;
    compensated.forEach(refused -> effects.add(new ClientEffect.Changed(refused, false)));
    compensated.clear();
    startSyncing();
    setConnection(Connection.CONNECTED);
  }

  private void onDownload(ServerMessage.Download download) {
    if (!identified || receivingState) {
      return; // DOWNLOADs follow an IDENT, or the last STATE segment.
    }
    List<ClientEffect> applied = new ArrayList<>(download.changesets().size());
    for (ServerMessage.DownloadedChangeset entry : download.changesets()) {
      clock.observe(entry.changeset().timestamp());
      replica.applyRemote(entry.serverVersion(), entry.changeset());
      applied.add(new ClientEffect.Changed(entry.changeset(), true));
    }
    long progress = download.header().uploadProgress();
    replica.acknowledge(progress, download.header().serverVersion());
    inFlight.headSet(progress, true).clear();
    ClientMeta meta = copy.meta();
    if (transacting != null
        && !transacting.integratedLocally
        && progress >= transacting.changeset.clientVersion()) {
      // The server integrated it here, before anything that follows: so must this copy.
      Changeset accepted = transacting.changeset;
      ChangesetApplier.apply(accepted, copy.objects());
      meta = meta.withLocal(accepted.clientVersion(), accepted.timestamp());
      transacting.integratedLocally = true;
      applied.add(new ClientEffect.Changed(accepted, false));
      settleTransact();
    }
    copy.commit(
        meta.withServer(download.header().serverVersion(), download.header().salt(), progress));
    effects.addAll(applied); // Once in the copy: listeners may read it.
    effects.add(
        new ClientEffect.Progress(
            download.header().serverVersion(),
            download.header().latestServerVersion(),
            download.header().downloadableBytes()));
    attempts = 0; // Through to the server: the next loss starts the backoff afresh.
    setConnection(Connection.CONNECTED);
    if (isolating && inFlight.isEmpty()) {
      isolating = replica.pendingCount() > 0;
      upload();
      sendTransactIfClear();
    }
    syncWaiters.replaceAll((waiter, mark) -> mark == MARK_AFTER_DOWNLOAD ? MARK_DUE : mark);
    markIfSettled();
  }

  /**
   * The session (or connection) is over. A refusal of what this client uploaded does not stop it:
   * the culprit is isolated and taken out. Otherwise it reconnects if trying again can help, and
   * else stays offline for the app to decide (the error listener has the code).
   */
  private void onError(ServerMessage.Error error) {
    effects.add(new ClientEffect.ErrorReceived(error));
    if (refusesAnUpload(error)) {
      isolateRefusal(error);
      attempts = 0;
    } else {
      boolean refusedToken = error.code() == ErrorCode.AUTHENTICATION_FAILED.code();
      if (!error.tryAgain() && !refusedToken) {
        wanted = false; // Trying again cannot help; a refused token can, with a fresh one.
      }
    }
    effects.add(new ClientEffect.Close());
    lost();
  }

  /** Whether the error refuses changesets this client sent (and not the client itself). */
  private boolean refusesAnUpload(ServerMessage.Error error) {
    boolean aboutChanges =
        error.code() == ErrorCode.SCHEMA_VIOLATION.code()
            || error.code() == ErrorCode.MESSAGE_TOO_LARGE.code();
    return aboutChanges && (!inFlight.isEmpty() || (transacting != null && transacting.sent));
  }

  private void isolateRefusal(ServerMessage.Error error) {
    boolean transactOut = transacting != null && transacting.sent;
    if (inFlight.isEmpty()) {
      Changeset refused = transacting.changeset; // Only the TRANSACT was out.
      transacting = null;
      effects.add(new ClientEffect.TransactSettled(false));
      effects.add(new ClientEffect.Refused(refused, error));
    } else if (inFlight.size() == 1 && !transactOut) {
      compensate(inFlight.first(), error);
    } else {
      isolating = true; // Which of them? One at a time tells.
    }
  }

  /** Takes a refused changeset out: the copy is rebuilt from the server's state without it. */
  private void compensate(long clientVersion, ServerMessage.Error error) {
    Changeset refused = replica.discard(clientVersion);
    copy.commit(copy.meta().withNeedsState(true));
    compensated.add(refused);
    effects.add(new ClientEffect.Refused(refused, error));
  }

  private void onTransactResult(ServerMessage.TransactResult result) {
    if (transacting == null || result.clientVersion() != transacting.changeset.clientVersion()) {
      return;
    }
    if (!result.accepted()) {
      transacting = null;
      effects.add(new ClientEffect.TransactSettled(false));
    } else {
      transacting.accepted = true; // Applied when its acknowledgement arrives, if not yet.
      settleTransact();
    }
    upload(); // What waited for the verdict.
  }

  /** An accepted TRANSACT is done once both its verdict and its acknowledgement are in. */
  private void settleTransact() {
    if (transacting.accepted && transacting.integratedLocally) {
      transacting = null;
      effects.add(new ClientEffect.TransactSettled(true));
    }
  }

  // ---- Inner workings ----

  /** The next local changeset: checked, stamped, not applied yet. */
  private Changeset changeset(List<Instruction> instructions) {
    ChangesetApplier.checkLocal(instructions, copy.objects());
    ClientMeta meta = copy.meta();
    Map<ObjectKey, Long> objectPrecedence =
        precedence == null ? Map.of() : precedence.after(instructions, copy.objects());
    Changeset changeset =
        new Changeset(
            meta.lastClientVersion() + 1,
            replica.serverVersion(),
            clock.tick(),
            meta.clientIdent(),
            // Without a model nothing has a sync precedence: no need to look at pending changes.
            precedence == null
                ? instructions
                : replica.stamp(instructions, key -> objectPrecedence.getOrDefault(key, 0L)));
    if (validator != null) {
      validator.validate(changeset);
    }
    return changeset;
  }

  /**
   * Uploads what is pending and not out yet: all of it, or one at a time while isolating; nothing
   * while a TRANSACT awaits its verdict (the server takes no UPLOAD then).
   */
  private void upload() {
    if (transactAwaitsVerdict()) {
      return;
    }
    List<Changeset> toSend = new ArrayList<>();
    for (Changeset changeset : replica.pending()) {
      if (isolating && (!inFlight.isEmpty() || !toSend.isEmpty())) {
        break;
      }
      if (!inFlight.contains(changeset.clientVersion())) {
        toSend.add(changeset);
      }
    }
    if (!toSend.isEmpty()) {
      toSend.forEach(changeset -> inFlight.add(changeset.clientVersion()));
      send(new ClientMessage.Upload(SESSION, toSend));
    }
  }

  private boolean transactAwaitsVerdict() {
    return transacting != null && transacting.sent && !transacting.accepted;
  }

  private void sendTransact() {
    transacting.sent = true;
    send(new ClientMessage.Transact(SESSION, transacting.changeset));
  }

  /** Sends one MARK for every waiter that needs one, unless one is out already. */
  private void markIfSettled() {
    if (!identified || markOut != 0 || !syncWaiters.containsValue(MARK_DUE)) {
      return;
    }
    markOut = ++lastMark;
    syncWaiters.replaceAll((waiter, mark) -> mark == MARK_DUE ? markOut : mark);
    send(new ClientMessage.Mark(SESSION, markOut));
  }

  /**
   * A MARK came back: everything of its time is here. Its waiters are synced if nothing local is
   * pending; else they ask again after the next DOWNLOAD (the server catches up a session that a
   * MARK shows behind, so a lost acknowledgement does not keep a waiter waiting).
   */
  private void onMark(long requestId) {
    if (requestId != markOut) {
      return;
    }
    markOut = 0;
    boolean settled = replica.pendingCount() == 0;
    java.util.Iterator<Map.Entry<Long, Long>> waiters = syncWaiters.entrySet().iterator();
    while (waiters.hasNext()) {
      Map.Entry<Long, Long> waiter = waiters.next();
      if (waiter.getValue() == requestId) {
        if (settled) {
          waiters.remove();
          effects.add(new ClientEffect.Synced(waiter.getKey()));
        } else {
          waiter.setValue(MARK_AFTER_DOWNLOAD);
        }
      }
    }
    markIfSettled(); // Waiters that came while it was out.
  }

  private void open() {
    link = Link.OPENING;
    setConnection(Connection.CONNECTING);
    effects.add(new ClientEffect.Open());
  }

  /** The socket is gone: what was under way on it is lost; reconnect if wanted. */
  private void lost() {
    boolean wasOpen = link == Link.OPEN;
    link = Link.CLOSED;
    identified = false;
    receivingState = false;
    inFlight.clear();
    syncWaiters.replaceAll((waiter, mark) -> MARK_DUE); // Their MARK went with the socket.
    markOut = 0;
    if (transacting != null) {
      transacting.sent = false;
    }
    if (wasOpen) {
      effects.add(new ClientEffect.StopPings());
    }
    setConnection(Connection.DISCONNECTED);
    java.time.Duration serverSaid = comeBackAfter;
    comeBackAfter = null;
    if (wanted) {
      reconnectPending = true;
      setConnection(Connection.CONNECTING);
      java.time.Duration delay;
      if (serverSaid != null) {
        delay = backoff.serverSaid(serverSaid, jitter);
        attempts = 0; // The server answered: a loss after it starts the backoff afresh.
      } else {
        delay = backoff.delay(attempts++, jitter);
      }
      effects.add(new ClientEffect.ScheduleReconnect(delay.toMillis()));
    }
  }

  private void send(ClientMessage message) {
    effects.add(new ClientEffect.Send(message));
  }

  private void setConnection(Connection newState) {
    if (connection != newState) {
      connection = newState;
      effects.add(new ClientEffect.ConnectionChanged(newState));
    }
  }

  private List<ClientEffect> drain() {
    List<ClientEffect> out = List.copyOf(effects);
    effects.clear();
    return out;
  }
}

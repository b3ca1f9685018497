package io.tributary.client;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.model.SyncPrecedence;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.LocalReplica;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.Error;
import io.tributary.schemas.Mark;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.State;
import io.tributary.schemas.StateObject;
import io.tributary.schemas.StateRequest;
import io.tributary.schemas.Transact;
import io.tributary.schemas.TransactResult;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.Handshake;
import io.tributary.schemas.codec.ObjectCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A sync client for one dataset: a local copy that takes writes offline (in memory, or in RocksDB
 * with {@link #persistent}), and a connection that uploads them, applies what others wrote, and
 * comes back by itself after a loss. {@link #connect} and {@link #disconnect} can alternate freely;
 * the client resumes from the last server version it has.
 */
public final class SyncClient implements AutoCloseable {

  private static final long SESSION = 1;

  /** Far below the server's 16 MiB message limit: one upload becomes one Kafka record. */
  private static final long UPLOAD_BATCH_BYTES = 1024 * 1024;

  private final URI server;
  private final String dataset;
  private final SyncPrecedence precedence;
  private HttpClient http = HttpClient.newHttpClient();
  private final ClientState state;
  private final LocalReplica replica;
  private final HybridClock clock = new HybridClock(System::currentTimeMillis);
  private final List<Error> errors = new ArrayList<>();
  private Consumer<Error> errorListener = error -> {};
  private Consumer<Changeset> changeListener = changeset -> {};
  private WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private boolean identified;

  /** Whether the app wants to be connected: then a lost connection is opened again. */
  private boolean wanted;

  private int attempts;
  private ConnectionState connectionState = ConnectionState.DISCONNECTED;
  private Consumer<ConnectionState> connectionListener = connection -> {};
  private final Map<Long, CompletableFuture<Void>> marks = new HashMap<>();
  private long lastMark;
  private Duration pingInterval = Duration.ofSeconds(60);
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "tributary-client-timers");
            thread.setDaemon(true);
            return thread;
          });
  private ScheduledFuture<?> pinging;

  /** A TRANSACT awaiting its verdict, or null. */
  private Transacting transacting;

  /** A TRANSACT under way: its changeset, and what is known of its fate so far. */
  private static final class Transacting {
    private final Changeset changeset;
    private final CompletableFuture<Boolean> verdict = new CompletableFuture<>();
    private boolean integratedLocally;
    private boolean accepted;

    Transacting(Changeset changeset) {
      this.changeset = changeset;
    }
  }

  /** Whether a first open asks for the dataset's state instead of replaying its history. */
  private boolean firstOpenWithState = true;

  /** A STATE transfer is under way: uploads wait for its last segment. */
  private boolean receivingState;

  private Supplier<String> tokens = () -> null;
  private ScheduledFuture<?> refreshing;
  private final Map<String, List<Consumer<Long>>> entityListeners = new HashMap<>();
  private Consumer<DownloadProgress> progressListener = progress -> {};

  /**
   * How far the download is: at {@code serverVersion} of {@code latestServerVersion}, with about
   * {@code bytesLeft} bytes of history still to come.
   */
  public record DownloadProgress(long serverVersion, long latestServerVersion, long bytesLeft) {}

  /** An attempt to open the socket that is under way or scheduled. */
  private boolean opening;

  private ScheduledFuture<?> reconnecting;

  /** Where the connection stands. */
  public enum ConnectionState {
    DISCONNECTED,
    CONNECTING,
    /** Open, bound and identified: uploads and downloads flow. */
    CONNECTED
  }

  public SyncClient(URI server, String dataset) {
    this(server, dataset, null);
  }

  /**
   * @param model the data model, for the sync precedence of changes (a SYNC_PRECEDENCE property);
   *     null if the client does not know it, which is right when the model has none
   */
  public SyncClient(URI server, String dataset, Model model) {
    this(server, dataset, model, new MemoryState());
  }

  /**
   * A client whose copy lives in {@code directory} (RocksDB): local writes, pending changesets and
   * sync progress survive restarts and crashes. One directory per client file and dataset.
   */
  public static SyncClient persistent(URI server, String dataset, Model model, Path directory) {
    return new SyncClient(server, dataset, model, RocksState.open(directory));
  }

  private SyncClient(URI server, String dataset, Model model, ClientState state) {
    this.server = server;
    this.dataset = dataset;
    this.precedence = model == null ? null : new SyncPrecedence(model);
    this.state = state;
    this.replica = state.replica();
    clock.observe(state.meta().clock());
  }

  /**
   * Connects and stays connected: a lost connection is opened again after a delay that grows from
   * about 0.5 s to about 60 s ({@link Backoff}), until {@link #disconnect}. Completes when the
   * first attempt's WebSocket is open.
   */
  public synchronized CompletableFuture<Void> connect() {
    wanted = true;
    if (socket != null || opening) {
      return CompletableFuture.completedFuture(null);
    }
    return open();
  }

  private CompletableFuture<Void> open() {
    opening = true;
    setConnectionState(ConnectionState.CONNECTING);
    WebSocket.Builder builder =
        http.newWebSocketBuilder().subprotocols(Handshake.currentSubprotocol());
    String token = tokens.get();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder
        .buildAsync(server, new Listener())
        .whenComplete(
            (webSocket, error) -> {
              if (error != null) {
                onClosed(null);
              }
            })
        .thenAccept(this::onOpen);
  }

  /**
   * Where access tokens come from: asked at every connect, and by {@link #refreshToken} for a
   * running session. After a refused token the client reconnects with a fresh one.
   */
  public synchronized SyncClient tokenProvider(Supplier<String> provider) {
    tokens = provider;
    return this;
  }

  /**
   * Sends a fresh token from the provider every {@code interval} while connected: set it below the
   * tokens' lifetime, so that a running session never holds an expired one.
   */
  public synchronized SyncClient refreshTokenEvery(Duration interval) {
    if (refreshing != null) {
      refreshing.cancel(false);
    }
    refreshing =
        timers.scheduleAtFixedRate(
            this::refreshToken, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Sends a fresh token for the running session (before the current one expires). */
  public synchronized void refreshToken() {
    String token = tokens.get();
    if (socket != null && token != null) {
      send(new Refresh(SESSION, token));
    }
  }

  /** Called after every DOWNLOAD with how far the download is, for a progress bar. */
  public synchronized void onDownloadProgress(Consumer<DownloadProgress> listener) {
    progressListener = listener;
  }

  /**
   * Starts this copy over after the server said it must ({@link
   * io.tributary.core.ErrorCode#CLIENT_RESET_REQUIRED}: e.g. the server was restored from an old
   * backup): the local objects go, a new client file ident is asked for, and the server's state
   * comes anew on the next connect. With {@code keepLocalChanges}, the changes not yet acknowledged
   * are applied again on that state and uploaded; without, they are dropped.
   */
  public synchronized void resetLocalCopy(boolean keepLocalChanges) {
    disconnect();
    state.snapshot().keySet().forEach(state.objects()::remove);
    replica.reset(keepLocalChanges);
    ClientMeta old = state.meta();
    state.commit(new ClientMeta(0, 0, 0, 0, 0, old.lastClientVersion(), old.clock()));
    errors.clear();
  }

  /** Sends PING this often while connected, so that an idle connection stays open. */
  /**
   * Trusts what {@code context} trusts for {@code wss://}, e.g. a server's self-signed certificate;
   * without it, the JVM's default trust store decides. Call before {@link #connect()}.
   */
  public synchronized SyncClient sslContext(javax.net.ssl.SSLContext context) {
    http = HttpClient.newBuilder().sslContext(context).build();
    return this;
  }

  public synchronized SyncClient pingEvery(Duration interval) {
    pingInterval = interval;
    return this;
  }

  /** Called with every change of the connection state. */
  public synchronized void onConnectionState(Consumer<ConnectionState> listener) {
    connectionListener = listener;
  }

  public synchronized ConnectionState connectionState() {
    return connectionState;
  }

  /**
   * Waits until every local change is uploaded and acknowledged and everything the server had when
   * asked has been downloaded (a MARK round trip); false if that takes longer than {@code timeout}.
   */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      CompletableFuture<Void> mark;
      synchronized (this) {
        while (!identified || replica.pendingCount() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        mark = new CompletableFuture<>();
        marks.put(++lastMark, mark);
        send(new Mark(SESSION, lastMark));
      }
      try {
        mark.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        // The connection was lost before the answer: ask again once it is back.
      }
    }
  }

  private synchronized void setConnectionState(ConnectionState newState) {
    if (connectionState != newState) {
      connectionState = newState;
      connectionListener.accept(newState);
      notifyAll();
    }
  }

  private synchronized void onOpen(WebSocket webSocket) {
    opening = false;
    if (!wanted) {
      webSocket.abort(); // Disconnected while it was opening.
      return;
    }
    socket = webSocket;
    identified = false;
    pinging =
        timers.scheduleAtFixedRate(
            this::ping, pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
    send(new Bind(SESSION, dataset, tokens.get(), state.meta().clientIdent() == 0));
    if (state.meta().clientIdent() != 0) {
      identify();
    }
  }

  /**
   * Closes the connection and stays offline; local writes go on, uploaded after {@link #connect}.
   */
  public synchronized void disconnect() {
    wanted = false;
    if (reconnecting != null) {
      reconnecting.cancel(false);
      reconnecting = null;
      opening = false;
      setConnectionState(ConnectionState.DISCONNECTED);
    }
    if (socket != null) {
      WebSocket closing = socket;
      onClosed(closing);
      closing.abort();
    }
  }

  private synchronized void ping() {
    if (socket != null) {
      send(new Ping(System.currentTimeMillis()));
    }
  }

  /**
   * Runs a local transaction: applied at once, uploaded when connected. Returns its version.
   *
   * @throws io.tributary.core.state.NoSuchObjectException if it changes an object this copy does
   *     not have; nothing of the transaction is applied
   * @throws io.tributary.core.state.ListIndexOutOfRangeException if a list instruction addresses no
   *     element; nothing of the transaction is applied
   */
  public synchronized long write(Consumer<Transaction> body) {
    awaitNoTransact();
    Changeset changeset = changeset(body);
    replica.applyLocal(changeset);
    state.commit(state.meta().withLocal(changeset.clientVersion(), changeset.timestamp()));
    notifyChanges(changeset);
    if (identified) {
      send(new Upload(SESSION, List.of(Bodies.encode(changeset))));
    }
    return changeset.clientVersion();
  }

  /**
   * A change that must not be merged (a booking): sent as TRANSACT, and applied locally only if the
   * server accepts it, that is if no other client's change reached the dataset after this copy's
   * server version. Completes with the verdict. Needs a connection; local writes wait until the
   * verdict (a TRANSACT is the next version, and nothing may come between).
   */
  public synchronized CompletableFuture<Boolean> transact(Consumer<Transaction> body) {
    if (!identified) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("a TRANSACT needs a connection: wait until CONNECTED"));
    }
    awaitNoTransact();
    transacting = new Transacting(changeset(body));
    send(new Transact(SESSION, Bodies.encode(transacting.changeset)));
    return transacting.verdict;
  }

  private void awaitNoTransact() {
    while (transacting != null) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while a TRANSACT awaited its verdict", e);
      }
    }
  }

  /** The next local changeset: checked, stamped, not applied yet. */
  private Changeset changeset(Consumer<Transaction> body) {
    Transaction transaction = new Transaction();
    body.accept(transaction);
    List<Instruction> instructions = transaction.instructions();
    ChangesetApplier.checkLocal(instructions, state.objects());
    Map<ObjectKey, Long> objectPrecedence =
        precedence == null ? Map.of() : precedence.after(instructions, state.objects());
    ClientMeta meta = state.meta();
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
    return changeset;
  }

  /**
   * Writes a record as an object of its entity (the record's simple name; its {@code long id}
   * component is the object's id): created if new, every other component set.
   */
  public long put(Record record) {
    String entity = RecordMapper.entityOf(record.getClass());
    long id = RecordMapper.idOf(record);
    return write(
        tx -> {
          tx.create(entity, id);
          RecordMapper.properties(record).forEach((name, value) -> tx.set(entity, id, name, value));
        });
  }

  /** The object {@code id} of the record's entity, as a record, if the copy has it. */
  public synchronized <T extends Record> Optional<T> get(Class<T> type, long id) {
    return get(new ObjectKey(RecordMapper.entityOf(type), id))
        .map(object -> RecordMapper.toRecord(type, id, object));
  }

  /** Every object of the record's entity that {@code filter} accepts, by id. */
  public synchronized <T extends Record> List<T> find(
      Class<T> type, java.util.function.Predicate<T> filter) {
    List<T> found = new ArrayList<>();
    state
        .objectsOf(RecordMapper.entityOf(type))
        .forEach(
            (id, object) -> {
              T record = RecordMapper.toRecord(type, id, object);
              if (filter.test(record)) {
                found.add(record);
              }
            });
    return found;
  }

  /** Every object of an entity, by id. */
  public synchronized SortedMap<Long, SortedMap<String, Value>> objectsOf(String entity) {
    return state.objectsOf(entity);
  }

  /**
   * Called with the id of every object of {@code entity} that a local transaction or a change from
   * the server touched, once it is in the copy.
   */
  public synchronized void onChange(String entity, Consumer<Long> listener) {
    entityListeners.computeIfAbsent(entity, name -> new ArrayList<>()).add(listener);
  }

  private void notifyChanges(Changeset changeset) {
    if (entityListeners.isEmpty()) {
      return;
    }
    java.util.Set<ObjectKey> touched = new java.util.LinkedHashSet<>();
    changeset.instructions().forEach(instruction -> touched.add(instruction.object()));
    for (ObjectKey key : touched) {
      entityListeners.getOrDefault(key.entity(), List.of()).forEach(l -> l.accept(key.id()));
    }
  }

  /** One object of the local copy, if it has it. */
  public synchronized Optional<SortedMap<String, Value>> get(ObjectKey key) {
    return state.objects().get(key);
  }

  /** Every object of the local copy. */
  public synchronized SortedMap<ObjectKey, SortedMap<String, Value>> objects() {
    return state.snapshot();
  }

  public synchronized long serverVersion() {
    return replica.serverVersion();
  }

  /** The client version of the last local transaction (the number of transactions so far). */
  public synchronized long lastClientVersion() {
    return state.meta().lastClientVersion();
  }

  public synchronized long clientIdent() {
    return state.meta().clientIdent();
  }

  /** Local changesets the server has not acknowledged yet. */
  public synchronized int pendingCount() {
    return replica.pendingCount();
  }

  public synchronized boolean connected() {
    return socket != null;
  }

  public synchronized List<Error> errors() {
    return List.copyOf(errors);
  }

  public synchronized void onError(Consumer<Error> listener) {
    this.errorListener = listener;
  }

  /** Called with every changeset of another client, after it is applied locally. */
  public synchronized void onRemoteChange(Consumer<Changeset> listener) {
    this.changeListener = listener;
  }

  private void identify() {
    ClientMeta meta = state.meta();
    if (firstOpenWithState && meta.serverVersion() == 0 && transacting == null) {
      receivingState = true;
      send(new StateRequest(SESSION, meta.clientIdent(), meta.salt()));
      return;
    }
    send(
        new ClientIdent(
            SESSION,
            meta.clientIdent(),
            meta.salt(),
            replica.serverVersion(),
            meta.serverVersionSalt(),
            meta.acknowledgedClientVersion()));
    identified = true;
    // Re-uploading what the server may already have is safe: it drops duplicates.
    uploadInBatches(replica.pending());
    if (transacting != null && !transacting.accepted) {
      // The verdict was lost with the connection: ask again; an integrated one is accepted again.
      send(new Transact(SESSION, Bodies.encode(transacting.changeset)));
    }
  }

  /** Uploads in messages of at most about {@link #UPLOAD_BATCH_BYTES}, keeping their order. */
  private void uploadInBatches(List<Changeset> changesets) {
    List<ChangesetBody> batch = new ArrayList<>();
    long bytes = 0;
    for (Changeset changeset : changesets) {
      ChangesetBody body = Bodies.encode(changeset);
      // The server's limit counts decoded bytes: one upload becomes one Kafka record.
      long size = body.getSize();
      if (!batch.isEmpty() && bytes + size > UPLOAD_BATCH_BYTES) {
        send(new Upload(SESSION, batch));
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(body);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      send(new Upload(SESSION, batch));
    }
  }

  private synchronized void onMessage(ServerMessage message) {
    Object body = message.getBody();
    if (body instanceof ServerIdent ident) {
      onIdent(ident);
    } else if (body instanceof Download download) {
      onDownload(download);
    } else if (body instanceof Error error) {
      onServerError(error);
    } else if (body instanceof State segment) {
      onState(segment);
    } else if (body instanceof TransactResult result) {
      onTransactResult(result);
    } else if (body instanceof Mark mark) {
      CompletableFuture<Void> waiting = marks.remove(mark.getRequestId());
      if (waiting != null) {
        waiting.complete(null);
      }
    }
  }

  /**
   * A segment of the dataset's state: the first replaces the local objects, each is committed as it
   * comes (an interrupted transfer starts again, as the copy is still at version 0), and the last
   * one puts the copy at the state's version and lets uploads go.
   */
  private void onState(State segment) {
    if (!receivingState) {
      return;
    }
    if (segment.getSegment() == 0) {
      state.snapshot().keySet().forEach(state.objects()::remove);
    }
    for (StateObject object : segment.getObjects()) {
      state
          .objects()
          .put(
              new ObjectKey(object.getEntity(), object.getId()),
              ObjectCodec.properties(object.getProperties()));
    }
    if (!segment.getLast()) {
      state.commit(state.meta());
      return;
    }
    replica.acknowledge(segment.getUploadProgress(), segment.getServerVersion());
    // Written during the transfer (or kept over a reset): still this copy's, not yet the server's,
    // and from now on made on the state, for the server as for this copy.
    replica.rebaseOnto(segment.getServerVersion());
    replica.reapplyPending();
    state.commit(
        state
            .meta()
            .withServer(
                segment.getServerVersion(),
                segment.getServerVersionSalt(),
                segment.getUploadProgress()));
    receivingState = false;
    identified = true;
    uploadInBatches(replica.pending());
    setConnectionState(ConnectionState.CONNECTED);
    notifyAll();
  }

  /** Whether the first open of a dataset asks for its state (the default) or replays history. */
  public synchronized SyncClient firstOpenWithState(boolean useState) {
    firstOpenWithState = useState;
    return this;
  }

  private void onTransactResult(TransactResult result) {
    if (transacting == null || result.getClientVersion() != transacting.changeset.clientVersion()) {
      return;
    }
    if (result.getAccepted()) {
      transacting.accepted = true; // Applied when its acknowledgement arrives, if not yet.
    } else {
      transacting.verdict.complete(false);
      transacting = null;
      notifyAll();
      return;
    }
    settleTransact();
  }

  /** An accepted TRANSACT is done once both its verdict and its acknowledgement are in. */
  private void settleTransact() {
    if (transacting.accepted && transacting.integratedLocally) {
      transacting.verdict.complete(true);
      transacting = null;
      notifyAll();
    }
  }

  /**
   * The session (or connection) is over: reconnect if trying again can help, else stay offline and
   * let the app decide (the error listener has the code).
   */
  private void onServerError(Error error) {
    errors.add(error);
    errorListener.accept(error);
    boolean refusedToken = error.getCode() == ErrorCode.AUTHENTICATION_FAILED.code();
    if (!error.getTryAgain() && !(refusedToken && tokens.get() != null)) {
      wanted = false; // Trying again cannot help; a refused token can, with a fresh one.
    }
    if (socket != null) {
      WebSocket ended = socket;
      onClosed(ended);
      ended.abort();
    }
  }

  private void onIdent(ServerIdent ident) {
    replica.assignOrigin(ident.getClientIdent()); // Changesets written before the ident.
    state.commit(state.meta().withIdent(ident.getClientIdent(), ident.getSalt()));
    identify();
  }

  private void onDownload(Download download) {
    List<Changeset> applied = new ArrayList<>(download.getChangesets().size());
    for (DownloadedChangeset entry : download.getChangesets()) {
      Changeset received = Bodies.decode(entry.getBody());
      clock.observe(received.timestamp());
      replica.applyRemote(entry.getServerVersion(), received);
      applied.add(received);
    }
    replica.acknowledge(download.getUploadProgress(), download.getServerVersion());
    ClientMeta meta = state.meta();
    if (transacting != null
        && !transacting.integratedLocally
        && download.getUploadProgress() >= transacting.changeset.clientVersion()) {
      // The server integrated it here, before anything that follows: so must this copy.
      Changeset accepted = transacting.changeset;
      ChangesetApplier.apply(accepted, state.objects());
      meta = meta.withLocal(accepted.clientVersion(), accepted.timestamp());
      transacting.integratedLocally = true;
      settleTransact();
      applied.add(accepted);
    }
    state.commit(
        meta.withServer(
            download.getServerVersion(),
            download.getServerVersionSalt(),
            download.getUploadProgress()));
    for (Changeset changeset : applied) { // Once in the copy: listeners may read it.
      if (changeset.originIdent() != state.meta().clientIdent()) {
        changeListener.accept(changeset);
      }
      notifyChanges(changeset);
    }
    progressListener.accept(
        new DownloadProgress(
            download.getServerVersion(),
            download.getLatestServerVersion(),
            download.getDownloadableBytes()));
    attempts = 0; // Through to the server: the next loss starts the backoff afresh.
    setConnectionState(ConnectionState.CONNECTED);
    notifyAll();
  }

  private void send(Object body) {
    WebSocket target = socket;
    byte[] frame = Frames.encode(new ClientMessage(body));
    // The JDK WebSocket allows one outstanding send at a time.
    sending =
        sending
            .exceptionally(error -> null)
            .thenCompose(ignored -> target.sendBinary(ByteBuffer.wrap(frame), true));
  }

  /** The socket {@code closed} (null: an attempt that failed to open) is gone. */
  private synchronized void onClosed(WebSocket closed) {
    if (closed != null && socket != closed) {
      return;
    }
    if (closed == null) {
      opening = false; // The attempt failed.
    }
    socket = null;
    identified = false;
    receivingState = false;
    if (pinging != null) {
      pinging.cancel(false);
      pinging = null;
    }
    marks.values().forEach(mark -> mark.completeExceptionally(new IllegalStateException("closed")));
    marks.clear();
    setConnectionState(ConnectionState.DISCONNECTED);
    if (wanted) {
      Duration delay = Backoff.DEFAULT.delay(attempts++, ThreadLocalRandom.current()::nextDouble);
      setConnectionState(ConnectionState.CONNECTING);
      opening = true;
      reconnecting = timers.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void reconnect() {
    reconnecting = null;
    opening = false;
    if (wanted && socket == null) {
      open();
    } else {
      setConnectionState(ConnectionState.DISCONNECTED);
    }
  }

  @Override
  public synchronized void close() {
    disconnect();
    timers.shutdownNow();
    state.close();
  }

  private final class Listener extends BinaryMessageListener {
    @Override
    protected void onMessage(byte[] message) {
      SyncClient.this.onMessage(Frames.decodeServer(message));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      onClosed(webSocket);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      onClosed(webSocket);
    }
  }
}

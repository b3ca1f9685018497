package io.tributary.client;

import io.tributary.core.auth.TokenLifetime;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.session.Backoff;
import io.tributary.core.session.ClientEffect;
import io.tributary.core.session.ClientSession;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A sync client for one dataset: a local copy that takes writes offline (in memory, or in RocksDB
 * with {@link #persistent}), and a connection that uploads them, applies what others wrote, and
 * comes back by itself after a loss. {@link #connect} and {@link #disconnect} can alternate freely;
 * the client resumes from the last server version it has.
 *
 * <p>The protocol is decided by {@link ClientSession}, a machine without I/O; this class is its
 * shell. Every input goes to the machine under one lock, and its effects are carried out in order
 * there, without blocking: frames are queued on the socket, timers scheduled, and the app's
 * listeners handed to a thread of their own, so that none runs under the lock.
 */
public final class SyncClient implements AutoCloseable {

  /** Where the connection stands. */
  public enum ConnectionState {
    DISCONNECTED,
    CONNECTING,
    /** Open, bound and identified: uploads and downloads flow. */
    CONNECTED
  }

  /**
   * How far the download is: at {@code serverVersion} of {@code latestServerVersion}, with about
   * {@code bytesLeft} bytes of history still to come.
   */
  public record DownloadProgress(long serverVersion, long latestServerVersion, long bytesLeft) {}

  /**
   * A local change the server refused for good (the error's code and message say why): it is no
   * longer in the copy, whose objects are the server's again, and every other change syncs on.
   */
  public record RefusedChange(Changeset changeset, int code, String message) {}

  private final ReentrantLock guard = new ReentrantLock();
  private final Condition settled = guard.newCondition();
  private final ClientState state;
  private final ClientSession machine;
  private final Listeners listeners = new Listeners();
  private final Socket socket;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tributary-client-timers"));

  private Supplier<String> tokens = () -> null;
  private Duration pingInterval = Duration.ofSeconds(60);
  private ScheduledFuture<?> pinging;
  private ScheduledFuture<?> reconnecting;
  private ScheduledFuture<?> refreshing;

  /** The refresh before the current token's {@code exp}, if it is a JWT with one. */
  private ScheduledFuture<?> refreshBeforeExpiry;

  private CompletableFuture<Void> opening;
  private CompletableFuture<Boolean> verdict;
  private final Map<Long, CompletableFuture<Void>> syncWaiters = new HashMap<>();
  private long lastWaiter;
  private final List<ServerMessage.Error> errors = new ArrayList<>();
  private boolean closed;

  public SyncClient(URI server, String dataset) {
    this(server, dataset, null);
  }

  /**
   * @param model the data model: local writes are checked against it before they are applied, and
   *     it gives the sync precedence of changes; null if the client does not know it
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
    this.state = state;
    this.machine =
        new ClientSession(
            dataset,
            state,
            model,
            new HybridClock(System::currentTimeMillis),
            Backoff.DEFAULT,
            () -> ThreadLocalRandom.current().nextDouble());
    this.socket = new Socket(server, new SocketEvents(), timers);
  }

  // ---- Connection ----

  /**
   * Connects and stays connected: a lost connection is opened again after a delay that grows from
   * about 0.5 s to about 60 s ({@link Backoff}), until {@link #disconnect}. Completes when the
   * first attempt's WebSocket is open.
   */
  public CompletableFuture<Void> connect() {
    guard.lock();
    try {
      requireOpen();
      input(ClientSession::connect); // Always: a disconnect may have come since the last connect.
      if (opening != null) {
        return opening; // The attempt under way.
      }
      CompletableFuture<Void> attempt = opening = new CompletableFuture<>();
      if (machine.connected() || !socket.opening()) {
        opening = null;
        attempt.complete(null);
      }
      return attempt;
    } finally {
      guard.unlock();
    }
  }

  /**
   * Closes the connection and stays offline; local writes go on, uploaded after {@link #connect}.
   */
  public void disconnect() {
    input(ClientSession::disconnect);
  }

  /**
   * Where access tokens come from: asked at every connect, and by {@link #refreshToken} for a
   * running session. After a refused token the client reconnects with a fresh one. A JWT with an
   * {@code exp} is refreshed by itself once four fifths of its time left have passed ({@link
   * TokenLifetime}): the provider must then hand out a fresh one.
   */
  public SyncClient tokenProvider(Supplier<String> provider) {
    tokens = provider;
    return this;
  }

  /**
   * Sends a fresh token from the provider every {@code interval} while connected: set it below the
   * tokens' lifetime, so that a running session never holds an expired one.
   */
  public SyncClient refreshTokenEvery(Duration interval) {
    guard.lock();
    try {
      if (refreshing != null) {
        refreshing.cancel(false);
      }
      refreshing =
          timers.scheduleAtFixedRate(
              this::refreshToken, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } finally {
      guard.unlock();
    }
  }

  /** Sends a fresh token for the running session (before the current one expires). */
  public void refreshToken() {
    String token = tokens.get(); // The app's code: not under the lock.
    input(session -> session.refresh(token));
    refreshBeforeExpiryOf(token);
  }

  /** Schedules the next refresh by {@code token}'s expiry, in place of the one scheduled. */
  private void refreshBeforeExpiryOf(String token) {
    guard.lock();
    try {
      if (closed) {
        return;
      }
      if (refreshBeforeExpiry != null) {
        refreshBeforeExpiry.cancel(false);
        refreshBeforeExpiry = null;
      }
      TokenLifetime.refreshDelay(token, Instant.now())
          .ifPresent(
              delay ->
                  refreshBeforeExpiry =
                      timers.schedule(this::refreshToken, delay.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      guard.unlock();
    }
  }

  /**
   * Trusts what {@code context} trusts for {@code wss://}, e.g. a server's self-signed certificate;
   * without it, the JVM's default trust store decides. Call before {@link #connect()}.
   */
  public SyncClient sslContext(javax.net.ssl.SSLContext context) {
    socket.sslContext(context);
    return this;
  }

  /** Sends PING this often while connected, so that an idle connection stays open. */
  public SyncClient pingEvery(Duration interval) {
    pingInterval = interval;
    return this;
  }

  /** Whether the first open of a dataset asks for its state (the default) or replays history. */
  public SyncClient firstOpenWithState(boolean useState) {
    input(
        session -> {
          session.firstOpenWithState(useState);
          return List.of();
        });
    return this;
  }

  public ConnectionState connectionState() {
    return read(session -> ConnectionState.valueOf(session.connection().name()));
  }

  public boolean connected() {
    return read(ClientSession::connected);
  }

  /**
   * Waits until every local change is uploaded and acknowledged and everything the server had when
   * asked has been downloaded (a MARK round trip); false if that takes longer than {@code timeout}.
   */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    CompletableFuture<Void> synced = new CompletableFuture<>();
    long waiter;
    guard.lock();
    try {
      waiter = ++lastWaiter;
      syncWaiters.put(waiter, synced);
      carryOut(machine.awaitSynced(waiter));
    } finally {
      guard.unlock();
    }
    try {
      synced.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      input(session -> session.forget(waiter));
      guard.lock();
      try {
        syncWaiters.remove(waiter);
      } finally {
        guard.unlock();
      }
      return false;
    }
  }

  /**
   * Starts this copy over after the server said it must ({@link
   * io.tributary.core.ErrorCode#CLIENT_RESET_REQUIRED}: e.g. the server was restored from an old
   * backup): the local objects go, a new client file ident is asked for, and the server's state
   * comes anew on the next connect. With {@code keepLocalChanges}, the changes not yet acknowledged
   * are applied again on that state and uploaded; without, they are dropped.
   */
  public void resetLocalCopy(boolean keepLocalChanges) {
    guard.lock();
    try {
      carryOut(machine.resetLocalCopy(keepLocalChanges));
      errors.clear();
    } finally {
      guard.unlock();
    }
  }

  // ---- Writes ----

  /**
   * Runs a local transaction: checked, applied at once, uploaded when connected. Returns its
   * version. A write waits while a {@link #transact} awaits its verdict.
   *
   * @throws io.tributary.core.state.NoSuchObjectException if it changes an object this copy does
   *     not have; nothing of the transaction is applied
   * @throws io.tributary.core.state.ListIndexOutOfRangeException if a list instruction addresses no
   *     element; nothing of the transaction is applied
   * @throws io.tributary.core.model.SchemaViolation if it does not fit the client's model; nothing
   *     of the transaction is applied
   */
  public long write(Consumer<Transaction> body) {
    Transaction transaction = new Transaction();
    body.accept(transaction); // The app's code: not under the lock.
    guard.lock();
    try {
      requireOpen();
      awaitNoTransact();
      carryOut(machine.write(transaction.instructions()));
      return state.meta().lastClientVersion();
    } finally {
      guard.unlock();
    }
  }

  /**
   * A change that must not be merged (a booking): sent as TRANSACT, and applied locally only if the
   * server accepts it, that is if no other client's change reached the dataset after this copy's
   * server version. Completes with the verdict. Needs a connection; local writes wait until the
   * verdict (a TRANSACT is the next version, and nothing may come between).
   */
  public CompletableFuture<Boolean> transact(Consumer<Transaction> body) {
    Transaction transaction = new Transaction();
    body.accept(transaction);
    guard.lock();
    try {
      requireOpen();
      awaitNoTransact();
      CompletableFuture<Boolean> result = new CompletableFuture<>();
      List<ClientEffect> effects;
      try {
        effects = machine.transact(transaction.instructions());
      } catch (IllegalStateException notConnected) {
        return CompletableFuture.failedFuture(notConnected);
      }
      verdict = result;
      carryOut(effects);
      return result;
    } finally {
      guard.unlock();
    }
  }

  private void awaitNoTransact() {
    while (machine.transacting()) {
      requireOpen();
      try {
        settled.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while a TRANSACT awaited its verdict", e);
      }
    }
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

  // ---- Reads ----

  /** The object {@code id} of the record's entity, as a record, if the copy has it. */
  public <T extends Record> Optional<T> get(Class<T> type, long id) {
    return get(new ObjectKey(RecordMapper.entityOf(type), id))
        .map(object -> RecordMapper.toRecord(type, id, object));
  }

  /** Every object of the record's entity that {@code filter} accepts, by id. */
  public <T extends Record> List<T> find(Class<T> type, Predicate<T> filter) {
    List<T> found = new ArrayList<>();
    objectsOf(RecordMapper.entityOf(type))
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
  public SortedMap<Long, SortedMap<String, Value>> objectsOf(String entity) {
    return read(session -> state.objectsOf(entity));
  }

  /** One object of the local copy, if it has it. */
  public Optional<SortedMap<String, Value>> get(ObjectKey key) {
    return read(session -> state.objects().get(key));
  }

  /** Every object of the local copy. */
  public SortedMap<ObjectKey, SortedMap<String, Value>> objects() {
    return read(session -> state.snapshot());
  }

  public long serverVersion() {
    return read(session -> state.replica().serverVersion());
  }

  /** The client version of the last local transaction (the number of transactions so far). */
  public long lastClientVersion() {
    return read(session -> state.meta().lastClientVersion());
  }

  public long clientIdent() {
    return read(session -> state.meta().clientIdent());
  }

  /** Local changesets the server has not acknowledged yet. */
  public int pendingCount() {
    return read(session -> state.replica().pendingCount());
  }

  /** Every ERROR the server sent since the client was made (or last reset). */
  public List<ServerMessage.Error> errors() {
    return read(session -> List.copyOf(errors));
  }

  // ---- Listeners: each called on the client's listener thread, in order ----

  /** Called with every change of the connection state. */
  public void onConnectionState(Consumer<ConnectionState> listener) {
    listeners.connection = listener;
  }

  /** Called after every DOWNLOAD with how far the download is, for a progress bar. */
  public void onDownloadProgress(Consumer<DownloadProgress> listener) {
    listeners.progress = listener;
  }

  public void onError(Consumer<ServerMessage.Error> listener) {
    listeners.error = listener;
  }

  /** Called with every changeset of another client, after it is applied locally. */
  public void onRemoteChange(Consumer<Changeset> listener) {
    listeners.remoteChange = listener;
  }

  /** Called with each local change the server refused for good, once it is out of the copy. */
  public void onRefused(Consumer<RefusedChange> listener) {
    listeners.refused = listener;
  }

  /**
   * Called with the id of every object of {@code entity} that a local transaction or a change from
   * the server touched, once it is in the copy.
   */
  public void onChange(String entity, Consumer<Long> listener) {
    listeners.onChange(entity, listener);
  }

  /**
   * Disconnects and releases the copy. Whatever still waits (a TRANSACT's verdict, {@link
   * #awaitSynced}, a writer) is let go; a listener still running can no longer read the copy.
   */
  @Override
  public void close() {
    guard.lock();
    try {
      if (closed) {
        return;
      }
      carryOut(machine.disconnect());
      closed = true;
      if (refreshing != null) {
        refreshing.cancel(false);
      }
      timers.shutdownNow();
      listeners.close();
      IllegalStateException gone = new IllegalStateException("the client was closed");
      if (verdict != null) {
        verdict.completeExceptionally(gone);
      }
      syncWaiters.values().forEach(waiter -> waiter.completeExceptionally(gone));
      if (opening != null) {
        opening.completeExceptionally(gone);
      }
      settled.signalAll();
      state.close();
    } finally {
      guard.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
  }

  // ---- The shell ----

  private <T> T read(Function<ClientSession, T> query) {
    guard.lock();
    try {
      requireOpen(); // The copy is released: a listener still running must not touch it.
      return query.apply(machine);
    } finally {
      guard.unlock();
    }
  }

  /** One input to the machine, and its effects carried out, under the lock; none once closed. */
  private void input(Function<ClientSession, List<ClientEffect>> input) {
    guard.lock();
    try {
      if (closed) {
        return;
      }
      carryOut(input.apply(machine));
    } finally {
      guard.unlock();
    }
  }

  /** Carries out effects in order; none blocks. Runs under the lock. */
  private void carryOut(List<ClientEffect> effects) {
    for (ClientEffect effect : effects) {
      if (effect instanceof ClientEffect.Send send) {
        socket.send(send.message());
      } else if (effect instanceof ClientEffect.Open) {
        socket.open(tokens);
      } else if (effect instanceof ClientEffect.Close) {
        socket.close();
      } else if (effect instanceof ClientEffect.ScheduleReconnect schedule) {
        reconnecting =
            timers.schedule(
                () -> input(ClientSession::reconnectDue),
                schedule.delayMillis(),
                TimeUnit.MILLISECONDS);
      } else if (effect instanceof ClientEffect.CancelReconnect && reconnecting != null) {
        reconnecting.cancel(false);
      } else if (effect instanceof ClientEffect.StartPings) {
        long every = pingInterval.toMillis();
        pinging =
            timers.scheduleAtFixedRate(
                () -> input(session -> session.pingDue(System.currentTimeMillis())),
                every,
                every,
                TimeUnit.MILLISECONDS);
      } else if (effect instanceof ClientEffect.StopPings && pinging != null) {
        pinging.cancel(false);
      } else if (effect instanceof ClientEffect.Synced synced) {
        Optional.ofNullable(syncWaiters.remove(synced.waiter())).ifPresent(s -> s.complete(null));
      } else if (effect instanceof ClientEffect.TransactSettled result && verdict != null) {
        CompletableFuture<Boolean> done = verdict;
        verdict = null;
        // Its callbacks are the app's: on no thread of the client's, which they could block.
        CompletableFuture.runAsync(() -> done.complete(result.accepted()));
      } else if (effect instanceof ClientEffect.ErrorReceived received) {
        errors.add(received.error());
        listeners.tell(effect);
      } else {
        listeners.tell(effect);
      }
    }
    settled.signalAll();
  }

  /** What becomes of the socket, from its threads: each an input to the machine. */
  private final class SocketEvents implements Socket.Events {
    @Override
    public void opened(String token) {
      input(session -> session.opened(token));
      refreshBeforeExpiryOf(token);
      CompletableFuture<Void> attempt = takeOpening();
      if (attempt != null) {
        CompletableFuture.runAsync(() -> attempt.complete(null)); // The app's callbacks.
      }
    }

    @Override
    public void failed(Throwable error) {
      java.util.Optional<java.time.Duration> retryAfter = RetryAfter.of(error);
      if (retryAfter.isPresent()) {
        input(session -> session.refused(retryAfter.get()));
      } else {
        input(ClientSession::closed);
      }
      CompletableFuture<Void> attempt = takeOpening();
      if (attempt != null) {
        CompletableFuture.runAsync(() -> attempt.completeExceptionally(error));
      }
    }

    @Override
    public void received(ServerMessage message) {
      input(session -> session.received(message));
    }

    @Override
    public void closed() {
      input(ClientSession::closed);
    }
  }

  private CompletableFuture<Void> takeOpening() {
    guard.lock();
    try {
      CompletableFuture<Void> attempt = opening;
      opening = null;
      return attempt;
    } finally {
      guard.unlock();
    }
  }
}

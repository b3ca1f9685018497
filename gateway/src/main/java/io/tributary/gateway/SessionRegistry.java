package io.tributary.gateway;

import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.HistoryEvent.TransactDecided;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.HistoryEvent.WriteDecided;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.session.SessionEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Which sessions of this gateway listen to which dataset, and which connection an addressed reply
 * goes to. Called from the downloads listener's thread; each connection takes its events on its own
 * event loop.
 *
 * <p>What is handed to event loops and not yet taken is bounded: past {@link
 * #MAX_QUEUED_DELIVERIES}, the downloads listener waits ({@link #awaitRoom}) and Kafka keeps the
 * rest, so event loops that fall behind slow the listener down instead of filling the heap.
 */
final class SessionRegistry implements DownloadsListener.Dispatcher {

  /** Deliveries queued on event loops at most, over all connections, before the listener waits. */
  static final int MAX_QUEUED_DELIVERIES = 65_536;

  /** Where a session's events go: its connection, on the connection's event loop. */
  interface Sessions {
    long connectionId();

    /**
     * Delivers {@code event} to the session {@code binding}, on the connection's event loop, and
     * runs {@code taken} there first, whether the connection is still open or not.
     */
    void deliver(long binding, SessionEvent event, Runnable taken);
  }

  private final AtomicInteger queued = new AtomicInteger();

  private record Listener(Sessions connection, long binding) {}

  private final String gatewayId;
  private final CurrentSchema schema;
  private final ConcurrentMap<String, Set<Listener>> byDataset = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Sessions> connections = new ConcurrentHashMap<>();
  private final AtomicInteger boundSessions = new AtomicInteger();
  private final BackendReplies backendReplies = new BackendReplies();

  SessionRegistry(String gatewayId, CurrentSchema schema) {
    this.gatewayId = gatewayId;
    this.schema = schema;
  }

  String gatewayId() {
    return gatewayId;
  }

  void connected(Sessions connection) {
    connections.put(connection.connectionId(), connection);
  }

  void disconnected(Sessions connection) {
    connections.remove(connection.connectionId(), connection);
  }

  /** The open connections, by id. */
  java.util.Map<Long, Sessions> connections() {
    return java.util.Collections.unmodifiableMap(connections);
  }

  void listen(String dataset, Sessions connection, long binding) {
    // In compute, as the removal: a set emptied and dropped meanwhile must not take this one.
    byDataset.compute(
        dataset,
        (name, listeners) -> {
          Set<Listener> set = listeners != null ? listeners : ConcurrentHashMap.newKeySet();
          set.add(new Listener(connection, binding));
          return set;
        });
  }

  void remove(String dataset, Sessions connection, long binding) {
    byDataset.computeIfPresent(
        dataset,
        (name, listeners) -> {
          listeners.remove(new Listener(connection, binding));
          return listeners.isEmpty() ? null : listeners;
        });
  }

  /** A connection bound ({@code delta > 0}) or ended sessions. */
  void sessionsChanged(int delta) {
    boundSessions.addAndGet(delta);
  }

  /** Bound sessions over all connections, for metrics and status pages. */
  int sessionCount() {
    return boundSessions.get();
  }

  /**
   * Routes one materialized history event to the sessions it concerns; {@code salt} and {@code
   * historyBytes} are its position, for an integrated changeset.
   */
  @Override
  public void dispatch(String dataset, HistoryEvent event, long salt, long historyBytes) {
    if (event instanceof Integrated integrated) {
      Set<Listener> listeners = byDataset.get(dataset);
      if (listeners != null) {
        SessionEvent.Live live =
            new SessionEvent.Live(
                new LiveChangeset(integrated, salt, historyBytes, schema.renames()));
        listeners.forEach(listener -> handOver(listener.connection(), listener.binding(), live));
      }
    } else if (event instanceof IdentAllocated allocated) {
      addressedTo(
          allocated.replyTo(),
          new SessionEvent.IdentAllocated(allocated.ident(), allocated.salt()));
    } else if (event instanceof UploadRejected rejected) {
      answerBackend(rejected.replyTo(), rejected);
      addressedTo(
          rejected.replyTo(),
          new SessionEvent.UploadRejected(rejected.error(), rejected.message()));
    } else if (event instanceof TransactDecided decided) {
      addressedTo(
          decided.replyTo(),
          new SessionEvent.TransactDecided(
              decided.clientVersion(), decided.accepted(), decided.message()));
    } else if (event instanceof WriteDecided decided) {
      answerBackend(decided.replyTo(), decided);
    }
  }

  /** Where the answers to backend writes go: the backend API's waiting requests. */
  BackendReplies backendReplies() {
    return backendReplies;
  }

  private void answerBackend(ReplyTo replyTo, HistoryEvent event) {
    if (replyTo.gatewayId().equals(gatewayId)
        && BackendReplies.isBackendRequest(replyTo.connectionId())) {
      backendReplies.answer(replyTo.connectionId(), event);
    }
  }

  private void addressedTo(ReplyTo replyTo, SessionEvent event) {
    if (BackendReplies.isBackendRequest(replyTo.connectionId())) {
      return; // A backend write's refusal: answered by answerBackend.
    }
    if (replyTo.gatewayId().equals(gatewayId)) {
      Sessions connection = connections.get(replyTo.connectionId());
      if (connection != null) {
        handOver(connection, replyTo.sessionId(), event);
      }
    }
  }

  private void handOver(Sessions connection, long binding, SessionEvent event) {
    queued.incrementAndGet();
    connection.deliver(binding, event, queued::decrementAndGet);
  }

  /** Deliveries handed to event loops and not yet taken. */
  int queuedDeliveries() {
    return queued.get();
  }

  /**
   * Returns once fewer than {@link #MAX_QUEUED_DELIVERIES} deliveries are queued, or once {@code
   * running} turns false. Parks a millisecond at a time: it waits only when event loops are behind
   * by tens of thousands of deliveries, where a millisecond is nothing.
   */
  @Override
  public void awaitRoom(BooleanSupplier running) {
    while (queued.get() >= MAX_QUEUED_DELIVERIES && running.getAsBoolean()) {
      LockSupport.parkNanos(1_000_000);
    }
  }
}

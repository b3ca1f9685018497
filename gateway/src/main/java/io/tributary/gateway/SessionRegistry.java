package io.tributary.gateway;

import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.HistoryEvent.TransactDecided;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.ReplyTo;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which sessions of this gateway listen to which dataset, and where addressed replies go. Called
 * from the downloads consumer thread; every session is then run on its own connection's context.
 */
final class SessionRegistry {

  private record Address(long connectionId, long sessionId) {}

  private final String gatewayId;
  private final ConcurrentMap<String, Set<Session>> byDataset = new ConcurrentHashMap<>();
  private final ConcurrentMap<Address, Session> byAddress = new ConcurrentHashMap<>();

  private final CurrentSchema schema;

  SessionRegistry(String gatewayId, CurrentSchema schema) {
    this.gatewayId = gatewayId;
    this.schema = schema;
  }

  String gatewayId() {
    return gatewayId;
  }

  void addressable(Session session) {
    byAddress.put(new Address(session.connectionId(), session.id()), session);
  }

  void listen(Session session) {
    byDataset
        .computeIfAbsent(session.dataset(), ignored -> ConcurrentHashMap.newKeySet())
        .add(session);
  }

  void remove(Session session) {
    byAddress.remove(new Address(session.connectionId(), session.id()), session);
    Set<Session> sessions = byDataset.get(session.dataset());
    if (sessions != null) {
      sessions.remove(session);
    }
  }

  int sessionCount() {
    return byAddress.size();
  }

  /**
   * Routes one materialized history event to the sessions it concerns; {@code salt} and {@code
   * historyBytes} are its position, for an integrated changeset.
   */
  void dispatch(String dataset, HistoryEvent event, long salt, long historyBytes) {
    if (event instanceof Integrated integrated) {
      Materialized materialized =
          new Materialized(integrated, salt, historyBytes, schema.renames());
      for (Session session : byDataset.getOrDefault(dataset, Set.of())) {
        session.runOnContext(() -> session.onIntegrated(materialized));
      }
    } else if (event instanceof IdentAllocated allocated) {
      addressedTo(allocated.replyTo(), session -> session.onIdentAllocated(allocated));
    } else if (event instanceof UploadRejected rejected) {
      addressedTo(rejected.replyTo(), session -> session.onRejected(rejected));
    } else if (event instanceof TransactDecided decided) {
      addressedTo(decided.replyTo(), session -> session.onTransactDecided(decided));
    }
  }

  private void addressedTo(ReplyTo replyTo, java.util.function.Consumer<Session> action) {
    if (!replyTo.gatewayId().equals(gatewayId)) {
      return;
    }
    Session session = byAddress.get(new Address(replyTo.connectionId(), replyTo.sessionId()));
    if (session != null) {
      session.runOnContext(() -> action.accept(session));
    }
  }
}

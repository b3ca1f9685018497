package io.tributary.gateway;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks the connections of one event loop for the idle and slow-reader timeouts, with one timer
 * for all of them. A periodic timer per connection cost an idle gateway more than anything else it
 * did: 1,000 idle sessions took 2 % of a core in their timers alone.
 *
 * <p>Used on its event loop only, as are the connections it holds.
 */
final class ConnectionWatch {

  private final Set<Connection> connections = new LinkedHashSet<>();
  private long timer = -1;

  /** How often to check: a connection is ended at most a quarter of its timeout late. */
  static long periodMillis(ConnectionPolicy policy) {
    long shortest =
        Math.min(policy.idleTimeout().toMillis(), policy.slowReaderTimeout().toMillis());
    return Math.max(10, Math.min(shortest / 4, 30_000));
  }

  void start(Vertx vertx, ConnectionPolicy policy) {
    timer = vertx.setPeriodic(periodMillis(policy), ignored -> check(policy));
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  void add(Connection connection) {
    connections.add(connection);
  }

  void remove(Connection connection) {
    connections.remove(connection);
  }

  private void check(ConnectionPolicy policy) {
    // A copy: a connection that fails its check closes, and leaves the set, at once.
    for (Connection connection : new ArrayList<>(connections)) {
      connection.checkAlive(policy);
    }
  }
}

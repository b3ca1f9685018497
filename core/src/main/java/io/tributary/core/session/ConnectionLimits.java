package io.tributary.core.session;

/**
 * What one connection may hold: a client is a stranger, and nothing it can grow is unbounded.
 *
 * @param sessions sessions bound at once on one connection
 * @param pendingRequests MARK and CLIENT_VERSION_REQUEST awaiting their answers, per session
 * @param bufferedChangesets live changesets a session keeps while it catches up; beyond, it fetches
 *     them from history afterwards
 */
public record ConnectionLimits(int sessions, int pendingRequests, int bufferedChangesets) {

  public static final ConnectionLimits DEFAULTS = new ConnectionLimits(64, 64, 10_000);

  public ConnectionLimits {
    if (sessions < 1 || pendingRequests < 1 || bufferedChangesets < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
  }

  public ConnectionLimits withSessions(int limit) {
    return new ConnectionLimits(limit, pendingRequests, bufferedChangesets);
  }
}

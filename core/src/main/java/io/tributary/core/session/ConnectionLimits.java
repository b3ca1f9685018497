package io.tributary.core.session;

/**
 * What one connection may hold: a client is a stranger, and nothing it can grow is unbounded.
 *
 * @param sessions sessions bound at once on one connection
 * @param pendingRequests MARK and CLIENT_VERSION_REQUEST awaiting their answers, per session
 * @param bufferedChangesets live changesets a session keeps while it catches up; beyond, it fetches
 *     them from history afterwards
 * @param uploadsInFlight changesets of the connection's sessions published and not yet acknowledged
 *     to the client; at this many, the server reads nothing more of the connection until some are:
 *     a writer faster than the server is slowed down, not queued for
 */
public record ConnectionLimits(
    int sessions, int pendingRequests, int bufferedChangesets, int uploadsInFlight) {

  public static final ConnectionLimits DEFAULTS = new ConnectionLimits(64, 64, 10_000, 256);

  public ConnectionLimits {
    if (sessions < 1 || pendingRequests < 1 || bufferedChangesets < 1 || uploadsInFlight < 1) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
  }

  public ConnectionLimits withSessions(int limit) {
    return new ConnectionLimits(limit, pendingRequests, bufferedChangesets, uploadsInFlight);
  }

  public ConnectionLimits withUploadsInFlight(int limit) {
    return new ConnectionLimits(sessions, pendingRequests, bufferedChangesets, limit);
  }
}

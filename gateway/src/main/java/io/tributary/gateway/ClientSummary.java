package io.tributary.gateway;

import io.tributary.core.session.SessionSummary;
import java.time.Instant;
import java.util.List;

/**
 * What an operator sees of one client connection: where it comes from, since when, and each of its
 * sessions.
 *
 * @param uploadsInFlight changesets read from it and not yet answered, over its sessions
 */
public record ClientSummary(
    long connection,
    String address,
    Instant connectedSince,
    List<SessionSummary> sessions,
    int uploadsInFlight) {

  public ClientSummary {
    sessions = List.copyOf(sessions);
  }
}

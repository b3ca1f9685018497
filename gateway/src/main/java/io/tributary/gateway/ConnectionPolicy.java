package io.tributary.gateway;

import io.tributary.core.session.ConnectionLimits;
import java.time.Duration;

/**
 * How long a client connection may take and hold what: every client is a stranger.
 *
 * @param idleTimeout a connection silent this long (not even a PING) is ended
 * @param handshakeTimeout from the TCP connection to a WebSocket, at most this long
 * @param slowReaderTimeout a connection that does not read what it is sent for this long is closed;
 *     meanwhile nothing more is read from it
 * @param maxHandshakes connections not yet WebSockets at once; more are closed at once
 * @param gatewayUploadsInFlight changesets all of the gateway's connections may have published and
 *     not yet seen answered; beyond, only connections with none in flight are read: under overload
 *     what the server accepts is answered within bounded time
 * @param limits what one connection may open and make the server hold
 * @param quotas connections in all and per address, and each session's upload rate
 */
public record ConnectionPolicy(
    Duration idleTimeout,
    Duration handshakeTimeout,
    Duration slowReaderTimeout,
    int maxHandshakes,
    int gatewayUploadsInFlight,
    ConnectionLimits limits,
    ConnectionQuotas quotas) {

  public static final ConnectionPolicy DEFAULTS =
      new ConnectionPolicy(
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          1024,
          1024,
          ConnectionLimits.DEFAULTS,
          ConnectionQuotas.DEFAULTS);

  public ConnectionPolicy {
    requirePositive("idleTimeout", idleTimeout);
    requirePositive("handshakeTimeout", handshakeTimeout);
    requirePositive("slowReaderTimeout", slowReaderTimeout);
    if (maxHandshakes < 1) {
      throw new IllegalArgumentException("maxHandshakes must be at least 1, not " + maxHandshakes);
    }
    if (gatewayUploadsInFlight < 1) {
      throw new IllegalArgumentException(
          "gatewayUploadsInFlight must be at least 1, not " + gatewayUploadsInFlight);
    }
  }

  private static void requirePositive(String name, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          name + " must be positive, not " + duration.toMillis() + " ms");
    }
  }

  public ConnectionPolicy withIdleTimeout(Duration timeout) {
    return new ConnectionPolicy(
        timeout,
        handshakeTimeout,
        slowReaderTimeout,
        maxHandshakes,
        gatewayUploadsInFlight,
        limits,
        quotas);
  }

  public ConnectionPolicy withHandshakeTimeout(Duration timeout) {
    return new ConnectionPolicy(
        idleTimeout,
        timeout,
        slowReaderTimeout,
        maxHandshakes,
        gatewayUploadsInFlight,
        limits,
        quotas);
  }

  public ConnectionPolicy withSlowReaderTimeout(Duration timeout) {
    return new ConnectionPolicy(
        idleTimeout,
        handshakeTimeout,
        timeout,
        maxHandshakes,
        gatewayUploadsInFlight,
        limits,
        quotas);
  }

  public ConnectionPolicy withGatewayUploadsInFlight(int limit) {
    return new ConnectionPolicy(
        idleTimeout, handshakeTimeout, slowReaderTimeout, maxHandshakes, limit, limits, quotas);
  }

  public ConnectionPolicy withQuotas(ConnectionQuotas newQuotas) {
    return new ConnectionPolicy(
        idleTimeout,
        handshakeTimeout,
        slowReaderTimeout,
        maxHandshakes,
        gatewayUploadsInFlight,
        limits,
        newQuotas);
  }

  public ConnectionPolicy withLimits(ConnectionLimits newLimits) {
    return new ConnectionPolicy(
        idleTimeout,
        handshakeTimeout,
        slowReaderTimeout,
        maxHandshakes,
        gatewayUploadsInFlight,
        newLimits,
        quotas);
  }
}

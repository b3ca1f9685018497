package io.tributary.gateway;

/**
 * How much of a gateway one client may take: connections in all and from one address, and how fast
 * each session may upload.
 *
 * @param connections open WebSockets of the gateway at once; more are refused with 503
 * @param connectionsPerAddress open WebSockets from one client address; more are refused with 429
 *     (generous by default: many devices share an address behind a carrier's NAT)
 * @param uploadsPerSecond changesets a session may upload per second, on average (a token bucket)
 * @param uploadBurst changesets a session may upload at once after a quiet while: the bucket's size
 */
public record ConnectionQuotas(
    int connections, int connectionsPerAddress, int uploadsPerSecond, int uploadBurst) {

  public static final ConnectionQuotas DEFAULTS =
      new ConnectionQuotas(50_000, 1_000, 1_000, 10_000);

  public ConnectionQuotas {
    if (connections < 1 || connectionsPerAddress < 1 || uploadsPerSecond < 1 || uploadBurst < 1) {
      throw new IllegalArgumentException("connection quotas must be positive");
    }
  }
}

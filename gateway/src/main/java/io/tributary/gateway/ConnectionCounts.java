package io.tributary.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's open connections, in all and per client address, kept within their {@link
 * ConnectionQuotas}. Shared by every event loop. Holds one entry per address with a connection
 * open, so never more entries than the quota of connections.
 */
final class ConnectionCounts {

  /** Why a connection was not admitted. */
  enum Refusal {
    /** The gateway has its quota of connections. */
    GATEWAY_FULL,
    /** The client's address has its quota. */
    ADDRESS_FULL
  }

  private final ConnectionQuotas quotas;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

  ConnectionCounts(ConnectionQuotas quotas) {
    this.quotas = quotas;
  }

  /**
   * Counts a connection from {@code address} in, if the quotas allow it.
   *
   * @return null if admitted (give it back with {@link #release}), else why not
   */
  Refusal admit(String address) {
    if (total.incrementAndGet() > quotas.connections()) {
      total.decrementAndGet();
      return Refusal.GATEWAY_FULL;
    }
    boolean[] admitted = {false};
    byAddress.compute(
        address,
        (key, count) -> {
          int now = count == null ? 0 : count;
          admitted[0] = now < quotas.connectionsPerAddress();
          return admitted[0] ? now + 1 : count;
        });
    if (!admitted[0]) {
      total.decrementAndGet();
      return Refusal.ADDRESS_FULL;
    }
    return null;
  }

  /** A connection from {@code address} that was admitted is gone. */
  void release(String address) {
    byAddress.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
    total.decrementAndGet();
  }
}

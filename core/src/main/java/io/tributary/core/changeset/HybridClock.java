package io.tributary.core.changeset;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock in milliseconds: follows the wall clock, never goes backwards, and is
 * always later than every timestamp this client has seen. So a change made after seeing another
 * change always carries a later timestamp, even on a device whose clock is wrong.
 */
public final class HybridClock {

  private final LongSupplier wallClock;
  private long last;

  public HybridClock(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** The timestamp of a new local change. */
  public synchronized long tick() {
    last = Math.max(wallClock.getAsLong(), last + 1);
    return last;
  }

  /** Takes note of a timestamp received from another client. */
  public synchronized void observe(long timestamp) {
    last = Math.max(last, timestamp);
  }
}

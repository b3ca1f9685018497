package io.tributary.schemas.kafka;

/**
 * The pause of a role's main loop after a failure, so that it never spins against a dead broker.
 */
public final class Retry {

  private static final long PAUSE_MILLIS = 1_000;

  private Retry() {}

  /** Waits before the next attempt; returns false if the thread was interrupted meanwhile. */
  public static boolean pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

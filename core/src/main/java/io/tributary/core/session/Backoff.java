package io.tributary.core.session;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before reconnecting: exponential from {@link #FIRST} up to {@link #LAST}, each
 * delay drawn between half and all of its step, so that clients cut off together do not all come
 * back at the same moment.
 */
public record Backoff(Duration first, Duration last) {

  public static final Duration FIRST = Duration.ofMillis(500);
  public static final Duration LAST = Duration.ofSeconds(60);
  public static final Backoff DEFAULT = new Backoff(FIRST, LAST);

  /**
   * The delay before coming back when the server said when ({@code Retry-After}): that long, within
   * the bounds, and up to a quarter more, so that the clients it refused together do not all come
   * back together.
   */
  public Duration serverSaid(Duration retryAfter, DoubleSupplier random) {
    long said = Math.max(first.toMillis(), Math.min(retryAfter.toMillis(), last.toMillis()));
    return Duration.ofMillis((long) (said * (1 + 0.25 * random.getAsDouble())));
  }

  /** The delay before reconnect attempt {@code attempt} (0 for the first after a loss). */
  public Duration delay(int attempt, DoubleSupplier random) {
    long step = first.toMillis() << Math.min(attempt, 20);
    long capped = Math.min(step, last.toMillis());
    return Duration.ofMillis((long) (capped * (0.5 + 0.5 * random.getAsDouble())));
  }
}

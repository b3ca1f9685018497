package io.tributary.core.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may try a password now, for the admin console's login: a name locks for a while after too
 * many failures in a row, and an address may try only so often per minute (guessing across names).
 * Pure: the caller gives the time. Its memory is bounded whatever strangers send: past {@link
 * Policy#tracked} names or addresses, the least recently seen are forgotten.
 */
public final class LoginThrottle {

  /**
   * @param failures failures of one name within {@code window} that lock it
   * @param window how far back failures count
   * @param lockout how long a locked name refuses every try, the right password included
   * @param attemptsPerMinute tries one address may make in a minute, over all names
   * @param tracked names, and addresses, remembered at most
   */
  public record Policy(
      int failures, Duration window, Duration lockout, int attemptsPerMinute, int tracked) {

    public static final Policy DEFAULTS =
        new Policy(5, Duration.ofMinutes(15), Duration.ofMinutes(15), 20, 10_000);

    public Policy {
      if (failures < 1 || attemptsPerMinute < 1 || tracked < 1) {
        throw new IllegalArgumentException("failures, attempts and tracked must be at least 1");
      }
      if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
        throw new IllegalArgumentException("window and lockout must be positive");
      }
    }
  }

  /** Why a try is refused now, and when to come back. */
  public record Refusal(String reason, Duration retryAfter) {}

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final Policy policy;
  private final Map<String, Deque<Instant>> failuresByName = recent();
  private final Map<String, Instant> lockedUntil = recent();
  private final Map<String, Deque<Instant>> attemptsByAddress = recent();

  public LoginThrottle(Policy policy) {
    this.policy = policy;
  }

  /**
   * Whether {@code name} may try a password from {@code address} at {@code now}; an allowed try
   * counts against the address.
   */
  public synchronized Optional<Refusal> tryLogin(String name, String address, Instant now) {
    Instant until = lockedUntil.get(name);
    if (until != null && now.isBefore(until)) {
      return Optional.of(
          new Refusal(
              "too many failed logins for " + name + "; try again later",
              Duration.between(now, until)));
    }
    lockedUntil.remove(name);
    Deque<Instant> attempts = attemptsByAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
    dropOlderThan(attempts, now.minus(MINUTE));
    if (attempts.size() >= policy.attemptsPerMinute()) {
      return Optional.of(
          new Refusal(
              "too many logins from this address; try again later",
              Duration.between(now, attempts.peekFirst().plus(MINUTE))));
    }
    attempts.addLast(now);
    return Optional.empty();
  }

  /** {@code name}'s password was wrong at {@code now}: enough of these lock it. */
  public synchronized void failed(String name, Instant now) {
    Deque<Instant> failures = failuresByName.computeIfAbsent(name, n -> new ArrayDeque<>());
    dropOlderThan(failures, now.minus(policy.window()));
    failures.addLast(now);
    if (failures.size() >= policy.failures()) {
      lockedUntil.put(name, now.plus(policy.lockout()));
      failures.clear();
    }
  }

  /** {@code name} logged in: its failures are forgotten. */
  public synchronized void succeeded(String name) {
    failuresByName.remove(name);
  }

  /** How many names and addresses it remembers now, for tests of its bound. */
  synchronized int trackedEntries() {
    return failuresByName.size() + lockedUntil.size() + attemptsByAddress.size();
  }

  private static void dropOlderThan(Deque<Instant> times, Instant oldest) {
    while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
      times.removeFirst();
    }
  }

  /** A map that forgets its least recently used entry past {@code policy.tracked()}. */
  private <V> Map<String, V> recent() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > policy.tracked();
      }
    };
  }
}

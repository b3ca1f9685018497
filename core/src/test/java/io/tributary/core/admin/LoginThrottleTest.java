package io.tributary.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void fiveFailuresLockTheNameEvenForTheRightPasswordUntilTheLockoutEnds() {
    LoginThrottle throttle = new LoginThrottle(LoginThrottle.Policy.DEFAULTS);
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.tryLogin("ops", "10.0.0." + i, T0.plusSeconds(i))).isEmpty();
      throttle.failed("ops", T0.plusSeconds(i));
    }

    var refusal = throttle.tryLogin("ops", "10.0.0.9", T0.plusSeconds(60));
    assertThat(refusal).isPresent();
    assertThat(refusal.get().retryAfter()).isEqualTo(Duration.ofMinutes(15).minusSeconds(56));
    assertThat(throttle.tryLogin("someone-else", "10.0.0.9", T0.plusSeconds(60)))
        .as("other names are not locked")
        .isEmpty();
    assertThat(throttle.tryLogin("ops", "10.0.0.9", T0.plusSeconds(4 + 15 * 60))).isEmpty();
  }

  @Test
  void aSuccessForgetsTheFailuresAndOldFailuresExpire() {
    LoginThrottle throttle = new LoginThrottle(LoginThrottle.Policy.DEFAULTS);
    for (int i = 0; i < 4; i++) {
      throttle.failed("ops", T0);
    }
    throttle.succeeded("ops");
    throttle.failed("ops", T0);
    assertThat(throttle.tryLogin("ops", "a", T0)).isEmpty();

    for (int i = 0; i < 3; i++) {
      throttle.failed("ops", T0);
    }
    // The first four of these are older than the window when the fifth comes.
    throttle.failed("ops", T0.plus(Duration.ofMinutes(16)));
    assertThat(throttle.tryLogin("ops", "b", T0.plus(Duration.ofMinutes(16)))).isEmpty();
  }

  @Property
  void anAddressGetsAtMostItsAttemptsPerMinuteWhateverNamesItTries(
      @ForAll @IntRange(min = 1, max = 50) int perMinute,
      @ForAll @IntRange(min = 0, max = 200) int tries) {
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Policy(
                1_000, Duration.ofMinutes(15), Duration.ofMinutes(15), perMinute, 10_000));
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
      if (throttle.tryLogin("name-" + i, "203.0.113.7", T0.plusMillis(i)).isEmpty()) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(Math.min(tries, perMinute));
    assertThat(throttle.tryLogin("name", "203.0.113.7", T0.plus(Duration.ofMinutes(2))))
        .as("a minute later the address may try again")
        .isEmpty();
  }

  @Property
  void memoryIsBoundedWhateverStrangersSend(@ForAll @IntRange(min = 1, max = 50) int tracked) {
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Policy(
                2, Duration.ofMinutes(15), Duration.ofMinutes(15), 1_000, tracked));
    for (int i = 0; i < 500; i++) {
      throttle.tryLogin("name-" + i, "address-" + i, T0);
      throttle.failed("name-" + i, T0);
      throttle.failed("name-" + i, T0);
    }
    // The most recent name is still locked: forgetting starts with the least recent.
    assertThat(throttle.tryLogin("name-499", "x", T0)).isPresent();
    assertThat(throttle.trackedEntries()).isLessThanOrEqualTo(3 * tracked);
  }
}

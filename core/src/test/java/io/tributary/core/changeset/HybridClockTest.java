package io.tributary.core.changeset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {

  private final AtomicLong wall = new AtomicLong(1_000);
  private final HybridClock clock = new HybridClock(wall::get);

  @Test
  void followsTheWallClock() {
    assertThat(clock.tick()).isEqualTo(1_000);
    wall.set(2_000);
    assertThat(clock.tick()).isEqualTo(2_000);
  }

  @Test
  void neverRepeatsOrGoesBackwardsWhenTheWallClockDoes() {
    long first = clock.tick();
    wall.set(500); // The device clock was corrected backwards.
    long second = clock.tick();
    long third = clock.tick();

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
  }

  @Test
  void aChangeAfterSeeingAnotherIsLaterThanItEvenWithASlowDeviceClock() {
    clock.observe(9_000_000); // A change from a device whose clock runs far ahead.

    assertThat(clock.tick()).isGreaterThan(9_000_000);
  }

  @Test
  void equalTimestampsFromTwoClientsAreOrderedByIdent() {
    Changeset low = new Changeset(1, 0, 5_000, 1, java.util.List.of());
    Changeset high = new Changeset(1, 0, 5_000, 2, java.util.List.of());

    assertThat(high.winsOver(low)).isTrue();
    assertThat(low.winsOver(high)).isFalse();
  }
}

package io.tributary.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleFromHalfASecondUpToAMinute() {
    assertThat(Backoff.DEFAULT.delay(0, () -> 1.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(Backoff.DEFAULT.delay(1, () -> 1.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.DEFAULT.delay(6, () -> 1.0)).isEqualTo(Duration.ofSeconds(32));
    assertThat(Backoff.DEFAULT.delay(7, () -> 1.0)).isEqualTo(Duration.ofSeconds(60));
    assertThat(Backoff.DEFAULT.delay(1_000, () -> 1.0)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitterDrawsEachDelayBetweenHalfAndAllOfItsStep() {
    assertThat(Backoff.DEFAULT.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.DEFAULT.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(3));
  }
}

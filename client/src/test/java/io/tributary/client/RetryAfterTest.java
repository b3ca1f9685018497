package io.tributary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-01T05:00:00Z");

  @Test
  void secondsAndHttpDatesAreTimesToComeBack() {
    assertThat(RetryAfter.parse("30", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse(" 5 ", NOW)).contains(Duration.ofSeconds(5));
    assertThat(RetryAfter.parse("Tue, 01 Dec 2026 05:02:00 GMT", NOW))
        .contains(Duration.ofMinutes(2));
    assertThat(RetryAfter.parse("Tue, 01 Dec 2026 04:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void anythingElseLeavesItToTheBackoff() {
    assertThat(RetryAfter.parse("-1", NOW)).isEmpty();
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.of(new IllegalStateException("no handshake"))).isEmpty();
  }
}

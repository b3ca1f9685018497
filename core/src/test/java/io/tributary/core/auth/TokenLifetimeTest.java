package io.tributary.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenLifetimeTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  private static String jwt(String claims) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  @Test
  void aJwtIsRefreshedAfterFourFifthsOfItsTimeLeft() {
    String token = jwt("{\"sub\":\"ada\",\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}");

    assertThat(TokenLifetime.expiry(token)).contains(NOW.plusSeconds(3600));
    assertThat(TokenLifetime.refreshDelay(token, NOW)).contains(Duration.ofMinutes(48));
  }

  @Test
  void anExpiredOrNearlyExpiredTokenIsRefreshedSoonButNotInALoop() {
    String token = jwt("{\"exp\":" + NOW.minusSeconds(10).getEpochSecond() + "}");

    assertThat(TokenLifetime.refreshDelay(token, NOW)).contains(TokenLifetime.SOONEST);
  }

  @Test
  void opaqueTokensAndJwtsWithoutExpiryAreNotScheduled() {
    assertThat(TokenLifetime.refreshDelay("a-shared-secret", NOW)).isEmpty();
    assertThat(TokenLifetime.refreshDelay("a.b.c", NOW)).isEmpty();
    assertThat(TokenLifetime.refreshDelay(jwt("{\"sub\":\"ada\"}"), NOW)).isEmpty();
    assertThat(TokenLifetime.refreshDelay(jwt("{\"exp\":\"soon\"}"), NOW)).isEmpty();
    assertThat(TokenLifetime.refreshDelay(null, NOW)).isEmpty();
  }
}

package io.tributary.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * When a client should send a fresh token: a JWT's {@code exp}, read without verifying it (the
 * client only schedules by it; the server verifies), and a refresh once four fifths of the time
 * left has passed, so that a slow token provider or a clock a little off still beats the expiry.
 */
public final class TokenLifetime {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Never sooner than this after the last refresh: a provider that hands out an old token again
   * must not make the client send it in a tight loop.
   */
  static final Duration SOONEST = Duration.ofSeconds(1);

  private TokenLifetime() {}

  /** The token's {@code exp}, if it is a JWT that has one. */
  public static Optional<Instant> expiry(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode exp = claims == null ? null : claims.get("exp");
      return exp != null && exp.canConvertToLong()
          ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
          : Optional.empty();
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty(); // Not a JWT: an opaque token, refreshed only when asked.
    }
  }

  /** How long after {@code now} to send a fresh token in place of {@code token}, if it expires. */
  public static Optional<Duration> refreshDelay(String token, Instant now) {
    return expiry(token)
        .map(
            expiry -> {
              Duration left = Duration.between(now, expiry);
              Duration delay = left.multipliedBy(4).dividedBy(5);
              return delay.compareTo(SOONEST) < 0 ? SOONEST : delay;
            });
  }
}

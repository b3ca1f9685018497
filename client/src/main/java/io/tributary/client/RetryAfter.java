package io.tributary.client;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a refused handshake says to come back: its {@code Retry-After} header (RFC 9110), in seconds
 * or as an HTTP date. The gateway sends one with a 503 (full, or its token keys out of reach) and a
 * 429 (too many connections from one address).
 */
public final class RetryAfter {

  private RetryAfter() {}

  /** The wait a failed handshake asks for, if {@code error} is one that asks. */
  public static Optional<Duration> of(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
        return refused
            .getResponse()
            .headers()
            .firstValue("Retry-After")
            .flatMap(value -> parse(value, ZonedDateTime.now()));
      }
    }
    return Optional.empty();
  }

  static Optional<Duration> parse(String value, ZonedDateTime now) {
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notADate) {
        return Optional.empty(); // Not a time to come back: the backoff decides.
      }
    }
  }
}

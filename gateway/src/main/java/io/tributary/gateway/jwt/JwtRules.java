package io.tributary.gateway.jwt;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What a verified token must say besides its signature.
 *
 * @param issuer the {@code iss} it must have, if any
 * @param audiences {@code aud} must name one of these; empty: not checked
 * @param requiredClaims claims it must have
 * @param leeway clock difference allowed on {@code exp} and {@code nbf}
 */
public record JwtRules(
    Optional<String> issuer, Set<String> audiences, Set<String> requiredClaims, Duration leeway) {

  public JwtRules {
    audiences = Set.copyOf(audiences);
    requiredClaims = Set.copyOf(requiredClaims);
    if (leeway.isNegative() || leeway.toSeconds() > 3600) {
      throw new IllegalArgumentException("a JWT leeway is 0 to 3600 s, not " + leeway);
    }
  }

  /** No issuer, audience or claim required, 60 s of leeway. */
  public static final JwtRules NONE =
      new JwtRules(Optional.empty(), Set.of(), Set.of(), Duration.ofSeconds(60));
}

package io.tributary.gateway.jwt;

import java.time.Duration;

/**
 * How a JWKS URL's keys are kept.
 *
 * @param cacheFor how long a fetched key set is used before it is fetched again
 * @param refreshAtMost a token with an unknown key id fetches the set again, at most this often
 * @param outageTolerance how long the last keys are used while the URL cannot be reached
 * @param fetchTimeout how long a token waits for a fetch under way
 */
public record JwksCaching(
    Duration cacheFor, Duration refreshAtMost, Duration outageTolerance, Duration fetchTimeout) {

  public static final JwksCaching DEFAULTS =
      new JwksCaching(
          Duration.ofMinutes(5),
          Duration.ofSeconds(30),
          Duration.ofHours(12),
          Duration.ofSeconds(5));

  public JwksCaching {
    if (refreshAtMost.compareTo(cacheFor) >= 0 || fetchTimeout.compareTo(cacheFor) >= 0) {
      throw new IllegalArgumentException(
          "the JWKS cache must last longer than its refresh interval and fetch timeout");
    }
  }
}

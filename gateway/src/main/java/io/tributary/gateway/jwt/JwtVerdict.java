package io.tributary.gateway.jwt;

import java.util.Date;
import java.util.Map;

/** What {@link JwtVerifier} made of a token. */
public sealed interface JwtVerdict {

  /**
   * A token that verifies: its claims, and when it stops being valid: its {@code exp} and the
   * leeway (null if it has no {@code exp}).
   */
  record Accepted(Map<String, Object> claims, Date expiry) implements JwtVerdict {}

  /** A token refused, with the rule it broke and a message for the client. */
  record Refused(Reason reason, String message) implements JwtVerdict {}

  /** Why a token is refused: each its own, so that a client and an operator can tell. */
  enum Reason {
    MALFORMED,
    UNSIGNED,
    WRONG_ALGORITHM,
    UNKNOWN_KEY,
    KEYS_UNAVAILABLE,
    BAD_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    WRONG_ISSUER,
    WRONG_AUDIENCE,
    MISSING_CLAIM
  }
}

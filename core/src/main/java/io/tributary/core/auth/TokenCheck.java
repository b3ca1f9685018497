package io.tributary.core.auth;

/** Checks a token given at the handshake, in a BIND or in a REFRESH. */
@FunctionalInterface
public interface TokenCheck {

  /**
   * @param token the token, or null if none was given
   */
  TokenVerdict check(String token);
}

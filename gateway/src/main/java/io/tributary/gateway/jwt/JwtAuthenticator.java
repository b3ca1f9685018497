package io.tributary.gateway.jwt;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.gateway.Authenticator;
import java.util.Locale;
import java.util.Optional;

/** Admits the clients whose token a {@link JwtVerifier} accepts, with the token's claims. */
public final class JwtAuthenticator implements Authenticator {

  private final JwtVerifier verifier;

  public JwtAuthenticator(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public TokenVerdict check(String token) {
    if (token == null) {
      return NO_TOKEN;
    }
    JwtVerdict verdict = verifier.verify(token);
    if (verdict instanceof JwtVerdict.Accepted accepted) {
      return new TokenVerdict.Accepted(
          Identity.jwt(
              accepted.claims(),
              Optional.ofNullable(accepted.expiry()).map(date -> date.toInstant())));
    }
    JwtVerdict.Refused refused = (JwtVerdict.Refused) verdict;
    return new TokenVerdict.Refused(
        errorOf(refused.reason()),
        refused.reason().name().toLowerCase(Locale.ROOT),
        refused.message());
  }

  /** An expired token and keys out of reach are worth trying again (with a fresh token, later). */
  private static ErrorCode errorOf(JwtVerdict.Reason reason) {
    return switch (reason) {
      case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
      case KEYS_UNAVAILABLE -> ErrorCode.AUTHENTICATION_UNAVAILABLE;
      default -> ErrorCode.AUTHENTICATION_FAILED;
    };
  }
}

package io.tributary.core.auth;

import io.tributary.core.ErrorCode;

/** What a token check made of a token. */
public sealed interface TokenVerdict {

  /** The token proves {@code identity}. */
  record Accepted(Identity identity) implements TokenVerdict {}

  /**
   * The token is refused.
   *
   * @param error the code for the client: {@link ErrorCode#AUTHENTICATION_FAILED}, {@link
   *     ErrorCode#TOKEN_EXPIRED} or {@link ErrorCode#AUTHENTICATION_UNAVAILABLE}
   * @param reason a short name of the rule the token broke, e.g. {@code bad_signature}
   * @param message for the client, one line
   */
  record Refused(ErrorCode error, String reason, String message) implements TokenVerdict {

    /** Reason and message together, as an ERROR or an HTTP refusal carries them. */
    public String describe() {
      return reason + ": " + message;
    }
  }
}

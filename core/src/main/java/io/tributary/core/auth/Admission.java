package io.tributary.core.auth;

/** How a connection admits sessions: tokens are checked, and permissions computed from them. */
public record Admission(TokenCheck tokens, Permissions permissions) {

  /** Everyone, everything: {@code --unsecured-no-authentication}. */
  public static final Admission UNSECURED =
      new Admission(token -> new TokenVerdict.Accepted(Identity.UNSECURED), Permissions.DEFAULTS);
}

package io.tributary.gateway;

import java.util.Optional;

/** Decides whether an access token may use the sync server: at the handshake, BIND and REFRESH. */
@FunctionalInterface
public interface Authenticator {

  /** Empty if the token is accepted, else the reason it is not, for the client. */
  Optional<String> refusal(Optional<String> token);

  /** Accepts everyone, with or without a token: {@code --unsecured-no-authentication}. */
  static Authenticator unsecured() {
    return token -> Optional.empty();
  }
}

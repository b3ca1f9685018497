package io.tributary.gateway;

import java.util.Optional;

/** Decides whether an access token may use the sync server: at the handshake, BIND and REFRESH. */
@FunctionalInterface
public interface Authenticator {

  /** Empty if the token is accepted, else the reason it is not, for the client. */
  Optional<String> refusal(Optional<String> token);

  /**
   * Accepts the clients that present {@code secret} as their token (configuration {@code
   * auth.sharedSecret}): one secret for every client, compared in constant time.
   */
  static Authenticator sharedSecret(String secret) {
    byte[] expected = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return token -> {
      if (token.isEmpty()) {
        return Optional.of("a token is required");
      }
      byte[] given = token.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return java.security.MessageDigest.isEqual(expected, given)
          ? Optional.empty()
          : Optional.of("the token is not the shared secret");
    };
  }

  /** Accepts everyone, with or without a token: {@code --unsecured-no-authentication}. */
  static Authenticator unsecured() {
    return Unsecured.EVERYONE;
  }

  /** One instance, so that a caller can tell the insecure mode apart. */
  final class Unsecured {
    private static final Authenticator EVERYONE = token -> Optional.empty();

    private Unsecured() {}
  }
}

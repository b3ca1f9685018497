package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Checks the access tokens of the handshake, BIND and REFRESH, by one of the configured methods: a
 * shared secret, JWTs ({@link io.tributary.gateway.jwt.JwtAuthenticator}), or several side by side.
 */
@FunctionalInterface
public interface Authenticator extends TokenCheck {

  /** The refusal of a missing token. */
  TokenVerdict.Refused NO_TOKEN =
      new TokenVerdict.Refused(ErrorCode.AUTHENTICATION_FAILED, "missing", "a token is required");

  /**
   * Accepts the clients that present {@code secret} as their token (configuration {@code
   * auth.sharedSecret}): one secret for every client, compared in constant time.
   */
  static Authenticator sharedSecret(String secret) {
    byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
    TokenVerdict accepted = new TokenVerdict.Accepted(Identity.SHARED_SECRET);
    TokenVerdict refused =
        new TokenVerdict.Refused(
            ErrorCode.AUTHENTICATION_FAILED,
            "not_the_secret",
            "the token is not the shared secret");
    return token -> {
      if (token == null) {
        return NO_TOKEN;
      }
      byte[] given = token.getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, given) ? accepted : refused;
    };
  }

  /**
   * A backend's API keys, by name: a key proves the identity of its name ({@link Identity#apiKey}).
   * Compared in constant time, as the shared secret is.
   */
  static Authenticator apiKeys(java.util.Map<String, String> keysByName) {
    java.util.Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
    keysByName.forEach((name, key) -> keys.put(name, key.getBytes(StandardCharsets.UTF_8)));
    TokenVerdict refused =
        new TokenVerdict.Refused(
            ErrorCode.AUTHENTICATION_FAILED, "not_the_secret", "the token is not an API key");
    return token -> {
      if (token == null) {
        return NO_TOKEN;
      }
      byte[] given = token.getBytes(StandardCharsets.UTF_8);
      String match = null;
      for (java.util.Map.Entry<String, byte[]> key : keys.entrySet()) {
        if (MessageDigest.isEqual(key.getValue(), given)) {
          match = key.getKey(); // No early exit: every key is compared.
        }
      }
      return match == null ? refused : new TokenVerdict.Accepted(Identity.apiKey(match));
    };
  }

  /**
   * Refusals that say no more than that a token is not of a method's kind (not the shared secret,
   * not a JWT, not signed by an algorithm of these keys): another method's refusal says more.
   */
  Set<String> NOT_OF_THIS_KIND = Set.of("not_the_secret", "malformed", "wrong_algorithm");

  /**
   * Several methods side by side: the first that accepts a token admits it. A token none accepts
   * gets the first refusal that says why (a bad signature, an expiry), else the last.
   */
  static Authenticator firstOf(List<Authenticator> methods) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("at least one authentication method");
    }
    List<Authenticator> all = List.copyOf(methods);
    if (all.size() == 1) {
      return all.get(0);
    }
    return token -> {
      TokenVerdict.Refused telling = null;
      TokenVerdict.Refused last = null;
      for (Authenticator method : all) {
        TokenVerdict verdict = method.check(token);
        if (verdict instanceof TokenVerdict.Accepted) {
          return verdict;
        }
        last = (TokenVerdict.Refused) verdict;
        if (telling == null && !NOT_OF_THIS_KIND.contains(last.reason())) {
          telling = last;
        }
      }
      return telling != null ? telling : last;
    };
  }

  /** Accepts everyone, with or without a token: {@code --unsecured-no-authentication}. */
  static Authenticator unsecured() {
    return token -> new TokenVerdict.Accepted(Identity.UNSECURED);
  }

  /** Whether {@code tokens} lets in a client without any token: the insecure mode. */
  static boolean letsEveryoneIn(TokenCheck tokens) {
    return tokens.check(null) instanceof TokenVerdict.Accepted;
  }
}

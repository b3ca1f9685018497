package io.tributary.core.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who a client is, as far as its token proves: how it authenticated, the token's claims (JSON
 * values: strings, numbers, booleans, lists and maps) and when the token stops being valid.
 */
public record Identity(AuthMethod method, Map<String, Object> claims, Optional<Instant> expiry) {

  /** Everyone, in {@code --unsecured-no-authentication} mode. */
  public static final Identity UNSECURED =
      new Identity(AuthMethod.UNSECURED, Map.of(), Optional.empty());

  /** Whoever presented the shared secret: no claims, and it does not expire. */
  public static final Identity SHARED_SECRET =
      new Identity(AuthMethod.SHARED_SECRET, Map.of(), Optional.empty());

  public Identity {
    claims = withoutNulls(claims);
  }

  /** JSON may hold nulls, which an immutable map does not: a null claim is an absent one. */
  private static Map<String, Object> withoutNulls(Map<String, Object> claims) {
    Map<String, Object> present = new java.util.HashMap<>();
    claims.forEach(
        (name, value) -> {
          if (value != null) {
            present.put(name, value);
          }
        });
    return Map.copyOf(present);
  }

  /** A JWT's identity. */
  public static Identity jwt(Map<String, Object> claims, Optional<Instant> expiry) {
    return new Identity(AuthMethod.JWT, claims, expiry);
  }

  /** A backend's API key's identity: its name, under the claim {@code name}. */
  public static Identity apiKey(String name) {
    return new Identity(AuthMethod.API_KEY, Map.of("name", name), Optional.empty());
  }

  /** True once the token is no longer valid at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiry.isPresent() && !now.isBefore(expiry.get());
  }

  /** The {@code sub} claim, or a description of the method for logs. */
  public String describe() {
    Object subject = claims.get("sub");
    return subject == null ? method.configName() : method.configName() + " " + subject;
  }
}

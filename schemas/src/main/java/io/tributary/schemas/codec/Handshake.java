package io.tributary.schemas.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The WebSocket handshake of the sync protocol. The client offers protocol versions as WebSocket
 * subprotocols ({@code Sec-WebSocket-Protocol: tributary-sync#1}); the server chooses the highest
 * it also speaks. The access token travels in {@code Authorization: Bearer <token>}, or, for
 * browsers (which cannot set headers), as one more subprotocol {@code tributary-token.<token>}.
 */
public final class Handshake {

  /** The subprotocol name of each version is this prefix and the version number. */
  public static final String PROTOCOL_PREFIX = "tributary-sync#";

  /** The versions this build speaks, highest last. */
  public static final List<Integer> VERSIONS = List.of(1);

  public static final String TOKEN_PREFIX = "tributary-token.";

  /** Base64url, which is all a subprotocol token may carry of a JWT or a random secret. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+-]{1,4096}");

  private Handshake() {}

  /** The subprotocol of a version. */
  public static String subprotocol(int version) {
    return PROTOCOL_PREFIX + version;
  }

  /** The subprotocol of the highest version this build speaks. */
  public static String currentSubprotocol() {
    return subprotocol(VERSIONS.get(VERSIONS.size() - 1));
  }

  /** Every subprotocol this build accepts, highest version first (the server's preference). */
  public static List<String> supportedSubprotocols() {
    return VERSIONS.stream().sorted((a, b) -> b - a).map(Handshake::subprotocol).toList();
  }

  /** The values of a {@code Sec-WebSocket-Protocol} header; empty for none. */
  public static List<String> offered(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    return Arrays.stream(header.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The highest version both sides speak, if any. */
  public static Optional<Integer> chooseVersion(List<String> offered) {
    return VERSIONS.stream()
        .filter(version -> offered.contains(subprotocol(version)))
        .max(Integer::compare);
  }

  /**
   * The access token: from {@code Authorization: Bearer}, else from a token subprotocol; empty if
   * neither carries one.
   */
  public static Optional<String> token(String authorization, List<String> offered) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return offered.stream()
        .filter(value -> value.startsWith(TOKEN_PREFIX))
        .map(value -> value.substring(TOKEN_PREFIX.length()))
        .filter(token -> TOKEN.matcher(token).matches())
        .findFirst();
  }
}

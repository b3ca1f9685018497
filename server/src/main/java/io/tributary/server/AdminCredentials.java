package io.tributary.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The user name and password the admin port asks for (HTTP Basic), from {@code adminAuth} in the
 * configuration file. Health probes stay open: orchestrators call them without credentials.
 */
record AdminCredentials(String username, String password) {

  static final String REALM = "Basic realm=\"Tributary admin\", charset=\"UTF-8\"";

  AdminCredentials {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("adminAuth.password must not be empty");
    }
    if (username == null || username.isEmpty() || username.contains(":")) {
      throw new IllegalArgumentException("adminAuth.username must be a name without ':'");
    }
  }

  /** Whether an Authorization header carries these credentials (compared in constant time). */
  boolean accept(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }
}

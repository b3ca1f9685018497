package io.tributary.core.admin;

import java.util.regex.Pattern;

/**
 * A user of the admin port.
 *
 * @param passwordHash the password as a PHC string (Argon2id); never the password itself
 * @param mustChangePassword whether the user signed in with a one-time password that must be
 *     replaced before anything else is allowed
 * @param changedAt when this record was written, in epoch milliseconds
 */
public record AdminUser(
    String name, AdminRole role, String passwordHash, boolean mustChangePassword, long changedAt) {

  /** Names that fit a URL path, a Basic header (no ':') and a log line. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  public AdminUser {
    requireName(name);
    if (role == null) {
      throw new IllegalArgumentException("a user needs a role");
    }
    if (passwordHash == null || passwordHash.isEmpty()) {
      throw new IllegalArgumentException("a user needs a password hash");
    }
  }

  /** Whether {@code name} can name a user. */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** {@code name} if it can name a user; else why not. */
  public static String requireName(String name) {
    if (!isName(name)) {
      throw new IllegalArgumentException(
          "a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter"
              + " or digit, not "
              + (name == null ? "nothing" : "'" + name + "'"));
    }
    return name;
  }
}

package io.tributary.core.admin;

import java.util.Locale;

/** What an admin user may do on the admin port. */
public enum AdminRole {
  /** Everything: data, exports, schema changes, log levels, clients, users. */
  ADMIN,
  /** Status, statistics, clients, schemas and metrics; no data and no changes. */
  VIEWER;

  /** The role a name gives ({@code admin} or {@code viewer}, any case). */
  public static AdminRole parse(String name) {
    for (AdminRole role : values()) {
      if (role.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be admin or viewer, not " + name);
  }

  /** Its name as the console and the users topic write it: {@code admin}, {@code viewer}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

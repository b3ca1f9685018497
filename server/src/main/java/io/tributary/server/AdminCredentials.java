package io.tributary.server;

import io.tributary.core.admin.AdminUser;

/**
 * The admin account of the configuration file ({@code adminAuth}): made an admin user at start, and
 * set again at each start if its password was changed, so that the configured account always signs
 * in.
 */
record AdminCredentials(String username, String password) {

  AdminCredentials {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("adminAuth.password must not be empty");
    }
    try {
      AdminUser.requireName(username);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("adminAuth.username: " + e.getMessage());
    }
  }
}

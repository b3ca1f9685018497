package io.tributary.server;

import io.tributary.core.admin.AdminRole;
import io.tributary.core.admin.AdminUser;
import io.tributary.kafka.AdminUserStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can sign in to a new cluster's admin port: the account of {@code adminAuth}
 * (set again at each start if its password or role was changed, so the configured account always
 * works), or else, while there are no users at all, {@code admin} with a one-time password that the
 * log shows once and that must be changed at the first sign-in.
 */
final class FirstAdmin {

  private static final Logger LOG = LoggerFactory.getLogger("SyncServer");
  static final String NAME = "admin";

  private FirstAdmin() {}

  /** The one-time password's hash if this call made one, for a later check that it stayed. */
  static Optional<String> ensure(
      AdminUserStore store, Optional<AdminCredentials> configured, String console)
      throws InterruptedException {
    if (configured.isPresent()) {
      ensureConfigured(store, configured.get());
      return Optional.empty();
    }
    if (!store.users().isEmpty()) {
      return Optional.empty();
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String hash = PasswordHash.hash(password);
    store.put(new AdminUser(NAME, AdminRole.ADMIN, hash, true, System.currentTimeMillis()));
    LOG.warn(
        "No admin user yet: sign in to {} as {} with the one-time password {} and choose a new"
            + " one (or set adminAuth in the configuration file)",
        console,
        NAME,
        password);
    return Optional.of(hash);
  }

  /**
   * Two processes of a new cluster may make a first admin at the same moment; the last write
   * stands, and the other's log must not leave a password that does not work unexplained.
   */
  static void checkStayed(AdminUserStore store, String hash) {
    boolean stayed = store.users().user(NAME).map(u -> u.passwordHash().equals(hash)).orElse(false);
    if (!stayed) {
      LOG.warn(
          "The one-time password logged above was replaced by another process of this cluster:"
              + " use the one that process logged");
    }
  }

  private static void ensureConfigured(AdminUserStore store, AdminCredentials credentials)
      throws InterruptedException {
    if (credentials.password().length() < AdminUserApi.MIN_PASSWORD) {
      LOG.warn(
          "adminAuth.password has fewer than {} characters: choose a longer one",
          AdminUserApi.MIN_PASSWORD);
    }
    Optional<AdminUser> user = store.users().user(credentials.username());
    boolean works =
        user.isPresent()
            && user.get().role() == AdminRole.ADMIN
            && !user.get().mustChangePassword()
            && PasswordHash.verify(user.get().passwordHash(), credentials.password());
    if (works) {
      return;
    }
    store.put(
        new AdminUser(
            credentials.username(),
            AdminRole.ADMIN,
            PasswordHash.hash(credentials.password()),
            false,
            System.currentTimeMillis()));
    LOG.info(
        user.isEmpty()
            ? "Admin user {} added from adminAuth"
            : "Admin user {} set from adminAuth again: its password or role had changed",
        credentials.username());
  }
}

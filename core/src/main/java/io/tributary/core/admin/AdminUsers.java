package io.tributary.core.admin;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The admin port's users at one moment, and the rules of changing them: a cluster always keeps an
 * admin, so the last one can be neither removed nor made a viewer. Immutable.
 */
public final class AdminUsers {

  public static final AdminUsers NONE = new AdminUsers(new TreeMap<>());

  private final SortedMap<String, AdminUser> byName;

  private AdminUsers(SortedMap<String, AdminUser> byName) {
    this.byName = Collections.unmodifiableSortedMap(byName);
  }

  public Optional<AdminUser> user(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every user, by name. */
  public SortedMap<String, AdminUser> all() {
    return byName;
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  /** As a record read from the users topic says: no rules, the topic is the truth. */
  public AdminUsers applied(String name, AdminUser userOrNull) {
    TreeMap<String, AdminUser> next = new TreeMap<>(byName);
    if (userOrNull == null) {
      next.remove(name);
    } else {
      next.put(name, userOrNull);
    }
    return new AdminUsers(next);
  }

  /**
   * With {@code user} added or replaced.
   *
   * @throws IllegalArgumentException if that would make the last admin a viewer
   */
  public AdminUsers with(AdminUser user) {
    AdminUser before = byName.get(user.name());
    if (before != null
        && before.role() == AdminRole.ADMIN
        && user.role() != AdminRole.ADMIN
        && admins() == 1) {
      throw new IllegalArgumentException(
          user.name() + " is the last admin and stays one; make another user an admin first");
    }
    return applied(user.name(), user);
  }

  /**
   * Without the user {@code name}.
   *
   * @throws IllegalArgumentException if there is no such user, or it is the last admin
   */
  public AdminUsers without(String name) {
    AdminUser user = byName.get(name);
    if (user == null) {
      throw new IllegalArgumentException("there is no user " + name);
    }
    if (user.role() == AdminRole.ADMIN && admins() == 1) {
      throw new IllegalArgumentException(
          name + " is the last admin and cannot be removed; add another admin first");
    }
    return applied(name, null);
  }

  private long admins() {
    return byName.values().stream().filter(u -> u.role() == AdminRole.ADMIN).count();
  }
}

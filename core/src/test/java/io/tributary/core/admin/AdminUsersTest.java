package io.tributary.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminUsersTest {

  private static AdminUser user(String name, AdminRole role) {
    return new AdminUser(name, role, "$argon2id$hash-of-" + name, false, 0);
  }

  @Test
  void theLastAdminCanBeNeitherRemovedNorMadeAViewer() {
    AdminUsers users = AdminUsers.NONE.with(user("ops", AdminRole.ADMIN));

    assertThatThrownBy(() -> users.without("ops")).hasMessageContaining("last admin");
    assertThatThrownBy(() -> users.with(user("ops", AdminRole.VIEWER)))
        .hasMessageContaining("last admin");

    AdminUsers two = users.with(user("dev", AdminRole.ADMIN));
    assertThat(two.with(user("ops", AdminRole.VIEWER)).user("ops").orElseThrow().role())
        .isEqualTo(AdminRole.VIEWER);
    assertThat(two.without("ops").all()).containsOnlyKeys("dev");
    assertThat(users.all()).as("immutable").containsOnlyKeys("ops");
  }

  @Test
  void viewersComeAndGoFreelyAndAMissingUserIsSaid() {
    AdminUsers users =
        AdminUsers.NONE.with(user("ops", AdminRole.ADMIN)).with(user("eve", AdminRole.VIEWER));

    assertThat(users.without("eve").all()).containsOnlyKeys("ops");
    assertThatThrownBy(() -> users.without("bob")).hasMessage("there is no user bob");
  }

  @Test
  void whatTheTopicSaysIsAppliedWithoutRules() {
    AdminUsers users = AdminUsers.NONE.applied("ops", user("ops", AdminRole.ADMIN));

    assertThat(users.applied("ops", null).isEmpty()).isTrue();
  }

  @Test
  void namesAreCheckedAndRolesParsed() {
    assertThatThrownBy(() -> user("a:b", AdminRole.ADMIN)).hasMessageContaining("'a:b'");
    assertThatThrownBy(() -> user("", AdminRole.ADMIN)).hasMessageContaining("user name");
    assertThatThrownBy(() -> user("x".repeat(65), AdminRole.ADMIN)).hasMessageContaining("1 to 64");
    assertThat(user("ops@example.com", AdminRole.ADMIN).name()).isEqualTo("ops@example.com");
    assertThat(AdminRole.parse(" Viewer")).isEqualTo(AdminRole.VIEWER);
    assertThat(AdminRole.VIEWER.label()).isEqualTo("viewer");
    assertThatThrownBy(() -> AdminRole.parse("root")).hasMessageContaining("admin or viewer");
  }
}

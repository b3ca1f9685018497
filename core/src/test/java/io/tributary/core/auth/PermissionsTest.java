package io.tributary.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  private static final Permissions TEAMS =
      new Permissions(
          Map.of(
              AuthMethod.JWT,
              List.of(
                  rule("user-{sub}", Access.READ_WRITE),
                  rule("team-{claims.teams[*]}", Access.READ_WRITE),
                  rule("public", Access.READ),
                  new DatasetRule(
                      DatasetTemplate.parse("*"),
                      Access.READ_WRITE,
                      Map.of(ClaimPath.parse("claims.roles"), "admin")))));

  private static DatasetRule rule(String template, Access access) {
    return new DatasetRule(DatasetTemplate.parse(template), access, Map.of());
  }

  private static Identity jwt(Map<String, Object> claims) {
    return Identity.jwt(claims, Optional.empty());
  }

  @Test
  void claimsFillTheTemplates() {
    Identity alice = jwt(Map.of("sub", "alice", "teams", List.of("red", "blue")));

    assertThat(TEAMS.accessTo(alice, "user-alice")).isEqualTo(Access.READ_WRITE);
    assertThat(TEAMS.accessTo(alice, "team-red")).isEqualTo(Access.READ_WRITE);
    assertThat(TEAMS.accessTo(alice, "team-blue")).isEqualTo(Access.READ_WRITE);
    assertThat(TEAMS.accessTo(alice, "public")).isEqualTo(Access.READ);
    assertThat(TEAMS.accessTo(alice, "user-bob")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(alice, "team-green")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(alice, "user-alice-2")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(alice, "team-red|team-blue")).isEqualTo(Access.NONE);
  }

  @Test
  void aMissingClaimGrantsNothingOfItsRule() {
    Identity nobody = jwt(Map.of());

    assertThat(TEAMS.accessTo(nobody, "user-")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(nobody, "team-")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(nobody, "public")).isEqualTo(Access.READ);
  }

  @Test
  void aClaimCannotWidenARule() {
    Identity wildcard = jwt(Map.of("sub", "*", "teams", List.of(".*", "a/b", Map.of("x", "y"))));

    assertThat(TEAMS.accessTo(wildcard, "user-alice")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(wildcard, "user-*")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(wildcard, "team-x")).isEqualTo(Access.NONE);
    assertThat(TEAMS.accessTo(wildcard, "team-.*")).isEqualTo(Access.NONE);
  }

  @Test
  void conditionsOnClaimsSelectTheirRule() {
    assertThat(TEAMS.accessTo(jwt(Map.of("roles", List.of("admin"))), "anything"))
        .isEqualTo(Access.READ_WRITE);
    assertThat(TEAMS.accessTo(jwt(Map.of("roles", "admin")), "anything"))
        .isEqualTo(Access.READ_WRITE);
    assertThat(TEAMS.accessTo(jwt(Map.of("roles", List.of("viewer"))), "anything"))
        .isEqualTo(Access.NONE);
  }

  @Test
  void integersAndNestedAndQuotedClaimsFillTemplates() {
    Permissions permissions =
        new Permissions(
            Map.of(
                AuthMethod.JWT,
                List.of(
                    rule("org-{claims.org.id}", Access.READ),
                    rule("tenant-{claims[\"https://example.com/tenant\"]}", Access.READ))));
    Identity identity = jwt(Map.of("org", Map.of("id", 42L), "https://example.com/tenant", "acme"));

    assertThat(permissions.accessTo(identity, "org-42")).isEqualTo(Access.READ);
    assertThat(permissions.accessTo(identity, "tenant-acme")).isEqualTo(Access.READ);
    assertThat(permissions.accessTo(identity, "org-43")).isEqualTo(Access.NONE);
  }

  @Test
  void wildcardsInTheConfigurationMatchRunsOfNameCharacters() {
    Permissions permissions =
        new Permissions(Map.of(AuthMethod.JWT, List.of(rule("demo-*-{sub}", Access.READ))));
    Identity bob = jwt(Map.of("sub", "bob"));

    assertThat(permissions.accessTo(bob, "demo-1-bob")).isEqualTo(Access.READ);
    assertThat(permissions.accessTo(bob, "demo--bob")).isEqualTo(Access.READ);
    assertThat(permissions.accessTo(bob, "demo-1-alice")).isEqualTo(Access.NONE);
    assertThat(permissions.accessTo(bob, "prod-1-bob")).isEqualTo(Access.NONE);
  }

  @Test
  void defaultsGrantASharedSecretEverythingAndAJwtNothing() {
    assertThat(Permissions.DEFAULTS.accessTo(Identity.SHARED_SECRET, "any"))
        .isEqualTo(Access.READ_WRITE);
    assertThat(Permissions.DEFAULTS.accessTo(Identity.UNSECURED, "any"))
        .isEqualTo(Access.READ_WRITE);
    assertThat(Permissions.DEFAULTS.accessTo(jwt(Map.of("sub", "alice")), "user-alice"))
        .isEqualTo(Access.NONE);
  }

  @Test
  void rulesOfTheSharedSecretReplaceItsDefault() {
    Permissions readOnly =
        new Permissions(Map.of(AuthMethod.SHARED_SECRET, List.of(rule("*", Access.READ))));

    assertThat(readOnly.accessTo(Identity.SHARED_SECRET, "any")).isEqualTo(Access.READ);
  }

  @Test
  void badTemplatesAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> DatasetTemplate.parse("user/{sub}"))
        .hasMessageContaining("outside {placeholders}");
    assertThatThrownBy(() -> DatasetTemplate.parse("user-{sub"))
        .hasMessageContaining("'{' without '}'");
    assertThatThrownBy(() -> DatasetTemplate.parse("user-{email}"))
        .hasMessageContaining("is not a claim");
    assertThatThrownBy(() -> DatasetTemplate.parse("user-{claims..x}"))
        .hasMessageContaining("is not a claim path");
    assertThatThrownBy(() -> Access.ofConfigName("write")).hasMessageContaining("read-write");
  }

  @Test
  void anExpiryIsAMomentAfterWhichTheIdentityIsNoLongerValid() {
    java.time.Instant expiry = java.time.Instant.parse("2026-11-30T12:00:00Z");
    Identity identity = Identity.jwt(Map.of(), Optional.of(expiry));

    assertThat(identity.expiredAt(expiry.minusMillis(1))).isFalse();
    assertThat(identity.expiredAt(expiry)).isTrue();
    assertThat(Identity.SHARED_SECRET.expiredAt(java.time.Instant.MAX)).isFalse();
  }
}

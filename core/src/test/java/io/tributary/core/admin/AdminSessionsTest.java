package io.tributary.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AdminSessionsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final AdminUsers USERS =
      AdminUsers.NONE.with(new AdminUser("ops", AdminRole.ADMIN, "h1", false, 0));

  private static AdminSessions sessions(int capacity) {
    return new AdminSessions(new Random(7), Duration.ofMinutes(30), Duration.ofHours(12), capacity);
  }

  @Test
  void aSessionLivesWhileUsedUpToItsMaximumAge() {
    AdminSessions sessions = sessions(10);
    var session = sessions.open("ops", "h1", T0);

    assertThat(session.token()).hasSize(43).isNotEqualTo(session.csrf());
    Instant t = T0;
    for (int i = 0; i < 23; i++) { // Used every 29 minutes: 11 h 7 min.
      t = t.plus(Duration.ofMinutes(29));
      assertThat(sessions.find(session.token(), USERS, t)).as("at %s", t).contains(session);
    }
    assertThat(sessions.find(session.token(), USERS, T0.plus(Duration.ofHours(12)))).isEmpty();
    assertThat(sessions.size()).as("an ended session is forgotten").isZero();
  }

  @Test
  void anIdleSessionEndsAndLogoutEndsOne() {
    AdminSessions sessions = sessions(10);
    var idle = sessions.open("ops", "h1", T0);
    var other = sessions.open("ops", "h1", T0);

    assertThat(sessions.find(idle.token(), USERS, T0.plus(Duration.ofMinutes(30)))).isEmpty();
    sessions.close(other.token());
    assertThat(sessions.find(other.token(), USERS, T0.plusSeconds(1))).isEmpty();
    assertThat(sessions.find(null, USERS, T0)).isEmpty();
  }

  @Test
  void aNewPasswordEndsTheUsersOtherSessionsButNotTheOneThatChangedIt() {
    AdminSessions sessions = sessions(10);
    var changing = sessions.open("ops", "h1", T0);
    var elsewhere = sessions.open("ops", "h1", T0);
    AdminUsers changed = USERS.with(new AdminUser("ops", AdminRole.ADMIN, "h2", false, 1));

    sessions.rebind(changing, "h2", T0.plusSeconds(1));

    assertThat(sessions.find(changing.token(), changed, T0.plusSeconds(2))).isPresent();
    assertThat(sessions.find(elsewhere.token(), changed, T0.plusSeconds(2))).isEmpty();
    assertThat(sessions.find(changing.token(), AdminUsers.NONE, T0.plusSeconds(3)))
        .as("a removed user's session ends")
        .isEmpty();
  }

  @Property
  void itHoldsAtMostItsCapacityAndTheNewestSessionsStay(
      @ForAll @IntRange(min = 1, max = 50) int capacity,
      @ForAll @IntRange(min = 0, max = 300) int logins) {
    AdminSessions sessions = sessions(capacity);
    Set<String> tokens = new HashSet<>();
    String newest = null;
    for (int i = 0; i < logins; i++) {
      newest = sessions.open("ops", "h1", T0).token();
      tokens.add(newest);
    }

    assertThat(sessions.size()).isEqualTo(Math.min(capacity, logins));
    assertThat(tokens).as("tokens are unique").hasSize(logins);
    if (newest != null) {
      assertThat(sessions.find(newest, USERS, T0)).isPresent();
    }
  }
}

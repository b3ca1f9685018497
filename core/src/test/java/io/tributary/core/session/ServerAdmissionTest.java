package io.tributary.core.session;

import static io.tributary.core.session.ServerHarness.errorCodeIn;
import static io.tributary.core.session.ServerHarness.errorIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Access;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.AuthMethod;
import io.tributary.core.auth.DatasetRule;
import io.tributary.core.auth.DatasetTemplate;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.Permissions;
import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.session.SessionEffect.Listen;
import io.tributary.core.session.SessionEffect.Publish;
import io.tributary.core.session.SessionEffect.Read;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may bind what, and for how long: tokens, permissions and expiry in the session machine. */
class ServerAdmissionTest {

  static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

  static final Permissions RULES =
      new Permissions(
          Map.of(
              AuthMethod.JWT,
              List.of(
                  rule("user-{sub}", Access.READ_WRITE),
                  rule("team-{claims.teams[*]}", Access.READ_WRITE),
                  rule("team-{claims.viewer[*]}", Access.READ),
                  rule("public", Access.READ))));

  /** Tokens of the tests by name; every other token is refused. */
  static final Map<String, Identity> TOKENS =
      Map.of(
          "alice", alice(Map.of("teams", List.of("red")), Duration.ofMinutes(1)),
          "alice-later", alice(Map.of("teams", List.of("red")), Duration.ofMinutes(10)),
          "alice-left-red", alice(Map.of(), Duration.ofMinutes(10)),
          "alice-views-red", alice(Map.of("viewer", List.of("red")), Duration.ofMinutes(10)));

  static Identity alice(Map<String, Object> claims, Duration lifetime) {
    Map<String, Object> all = new java.util.HashMap<>(claims);
    all.put("sub", "alice");
    return Identity.jwt(all, Optional.of(START.plus(lifetime)));
  }

  static DatasetRule rule(String template, Access access) {
    return new DatasetRule(DatasetTemplate.parse(template), access, Map.of());
  }

  static final TokenCheck CHECK =
      token ->
          TOKENS.containsKey(token)
              ? new TokenVerdict.Accepted(TOKENS.get(token))
              : new TokenVerdict.Refused(
                  ErrorCode.AUTHENTICATION_FAILED, "bad_signature", "the signature is wrong");

  final ServerHarness server =
      new ServerHarness(
          ConnectionLimits.DEFAULTS, new Admission(CHECK, RULES), TOKENS.get("alice"), START);

  private Instant now = START;

  /** The shell's periodic tick, {@code duration} after the last. */
  private List<SessionEffect> tickAfter(Duration duration) {
    now = now.plus(duration);
    return server.connection.tick(now);
  }

  private List<SessionEffect> bind(long session, String dataset, String token) {
    return server.send(new ClientMessage.Bind(session, dataset, token, false));
  }

  private List<SessionEffect> identify(long session) {
    return server.send(new ClientMessage.Ident(session, 5, 55, 0, 0, 0));
  }

  private static boolean touchesADataset(List<SessionEffect> effects) {
    return effects.stream()
        .anyMatch(e -> e instanceof Listen || e instanceof Read || e instanceof Publish);
  }

  @Test
  void aDatasetTheTokenDoesNotAllowIsRefusedAtBindWithoutReadingAnything() {
    List<SessionEffect> effects = bind(1, "user-bob", null);

    assertThat(errorCodeIn(effects)).contains(ErrorCode.PERMISSION_DENIED);
    assertThat(errorIn(effects).orElseThrow().message()).contains("user-bob", "jwt alice");
    assertThat(touchesADataset(effects)).isFalse();
    assertThat(server.connection.sessionCount()).isZero();
    assertThat(errorCodeIn(identify(1))).contains(ErrorCode.PROTOCOL_VIOLATION); // Not bound.
  }

  @Test
  void allowedDatasetsBindAndCatchUp() {
    assertThat(bind(1, "user-alice", null)).isEmpty();
    assertThat(identify(1)).anyMatch(Read.class::isInstance);
    assertThat(bind(2, "team-red", null)).isEmpty();
    assertThat(bind(3, "public", null)).isEmpty();
    assertThat(server.connection.sessionCount()).isEqualTo(3);
  }

  @Test
  void aReadOnlySessionReadsButItsUploadAndTransactAreRefusedAndNothingIsPublished() {
    bind(1, "public", null);
    assertThat(identify(1)).anyMatch(Read.class::isInstance);

    List<SessionEffect> upload =
        server.send(new ClientMessage.Upload(1, List.of(ServerSessionTest.task(1, 1))));
    assertThat(errorCodeIn(upload)).contains(ErrorCode.WRITE_NOT_ALLOWED);
    assertThat(upload).noneMatch(Publish.class::isInstance);

    bind(2, "public", null);
    identify(2);
    List<SessionEffect> transact =
        server.send(new ClientMessage.Transact(2, ServerSessionTest.task(1, 1)));
    assertThat(errorCodeIn(transact)).contains(ErrorCode.WRITE_NOT_ALLOWED);
    assertThat(transact).noneMatch(Publish.class::isInstance);
  }

  @Test
  void aBindTokenOfItsOwnIsCheckedAndARefusalSaysWhy() {
    List<SessionEffect> refused = bind(1, "user-alice", "forged");

    assertThat(errorCodeIn(refused)).contains(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(errorIn(refused).orElseThrow().message()).contains("bad_signature");
    assertThat(bind(2, "team-red", "alice-later")).isEmpty();
  }

  @Test
  void aSessionWhoseTokenExpiresIsEndedWithTokenExpired() {
    bind(1, "user-alice", null);
    identify(1);
    bind(2, "team-red", "alice-later");
    identify(2);

    assertThat(tickAfter(Duration.ofSeconds(59))).isEmpty();
    List<SessionEffect> expired = tickAfter(Duration.ofSeconds(1));

    assertThat(errorCodeIn(expired)).contains(ErrorCode.TOKEN_EXPIRED);
    assertThat(server.connection.phase(1)).isEmpty();
    assertThat(server.connection.phase(2)).isPresent(); // Its own token lives longer.
  }

  @Test
  void theShellIsToldWhenToTickNext() {
    long inOneMinute = START.plusSeconds(60).toEpochMilli();
    assertThat(server.connection.nextExpiryMillis())
        .as("the handshake's token")
        .isEqualTo(inOneMinute);
    bind(1, "user-alice", "alice-later");
    bind(2, "team-red", null);
    assertThat(server.connection.nextExpiryMillis()).isEqualTo(inOneMinute);

    tickAfter(Duration.ofMinutes(1)); // Session 2 and the handshake's token are done.

    assertThat(server.connection.nextExpiryMillis())
        .isEqualTo(START.plus(Duration.ofMinutes(10)).toEpochMilli());
    ServerHarness secret =
        new ServerHarness(
            ConnectionLimits.DEFAULTS, new Admission(CHECK, RULES), Identity.SHARED_SECRET, START);
    assertThat(secret.connection.nextExpiryMillis())
        .as("nothing expires")
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aRefreshBeforeExpiryKeepsTheSessionGoing() {
    bind(1, "user-alice", null);
    identify(1);

    assertThat(server.send(new ClientMessage.Refresh(1, "alice-later"))).isEmpty();
    assertThat(tickAfter(Duration.ofMinutes(5))).isEmpty();
    assertThat(server.connection.phase(1)).isPresent();
  }

  @Test
  void aBindAfterTheHandshakeTokenExpiredNeedsAFreshToken() {
    tickAfter(Duration.ofMinutes(2));

    assertThat(errorCodeIn(bind(1, "user-alice", null))).contains(ErrorCode.TOKEN_EXPIRED);
    assertThat(bind(2, "user-alice", "alice-later")).isEmpty();
  }

  @Test
  void aRefreshThatNoLongerAllowsTheDatasetEndsTheSession() {
    bind(1, "team-red", null);
    identify(1);
    bind(2, "user-alice", null);
    identify(2);

    List<SessionEffect> effects = server.send(new ClientMessage.Refresh(1, "alice-left-red"));

    assertThat(errorCodeIn(effects)).contains(ErrorCode.PERMISSION_DENIED);
    assertThat(effects).anyMatch(SessionEffect.Ended.class::isInstance);
    assertThat(server.connection.phase(1)).isEmpty();
    assertThat(server.connection.phase(2)).isPresent();
  }

  @Test
  void aRefreshThatMakesTheDatasetReadOnlyRefusesLaterUploads() {
    bind(1, "team-red", null);
    identify(1);
    assertThat(server.send(new ClientMessage.Refresh(1, "alice-views-red"))).isEmpty();

    List<SessionEffect> upload =
        server.send(new ClientMessage.Upload(1, List.of(ServerSessionTest.task(1, 1))));

    assertThat(errorCodeIn(upload)).contains(ErrorCode.WRITE_NOT_ALLOWED);
    assertThat(upload).noneMatch(Publish.class::isInstance);
  }

  @Test
  void aRefusedRefreshEndsTheSessionWithTheRefusalsCode() {
    bind(1, "user-alice", null);
    identify(1);

    List<SessionEffect> effects = server.send(new ClientMessage.Refresh(1, "forged"));

    assertThat(errorCodeIn(effects)).contains(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(server.connection.phase(1)).isEmpty();
  }
}

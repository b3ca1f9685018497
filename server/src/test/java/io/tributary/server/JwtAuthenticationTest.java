package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import io.tributary.core.ErrorCode;
import io.tributary.schemas.Bind;
import io.tributary.schemas.Error;
import io.tributary.schemas.ServerIdent;
import io.tributary.testkit.RawConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JWTs over real WebSockets, against a server configured from a real configuration file: every
 * wrong token is refused with its own reason, at the handshake and in a BIND; a good one binds the
 * datasets its claims allow.
 */
class JwtAuthenticationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final TestTokens tokens = new TestTokens();

  @RegisterExtension
  final RunningServer server =
      new RunningServer().withAdmission(tokens.admission(Duration.ofSeconds(5)));

  /** Each wrong token, by the reason it must be refused for. */
  private Map<String, String> wrongTokens() throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet.Builder good = TestTokens.claims("ada", List.of("red"), Duration.ofMinutes(5));
    Map<String, String> wrong = new LinkedHashMap<>();
    wrong.put("malformed", "garbage");
    wrong.put("unsigned", TestTokens.unsigned(good));
    wrong.put("wrong_algorithm", tokens.hmacWithThePublicKey(good));
    wrong.put(
        "bad_signature",
        TestTokens.sign(new RSASSASigner(tokens.stranger), JWSAlgorithm.RS256, good, h -> h));
    wrong.put(
        "expired",
        tokens.sign(
            TestTokens.claims("ada", List.of(), Duration.ZERO)
                .expirationTime(Date.from(now.minusSeconds(60)))));
    wrong.put(
        "not_yet_valid",
        tokens.sign(
            TestTokens.claims("ada", List.of(), Duration.ofMinutes(5))
                .notBeforeTime(Date.from(now.plusSeconds(60)))));
    wrong.put(
        "wrong_issuer",
        tokens.sign(
            TestTokens.claims("ada", List.of(), Duration.ofMinutes(5))
                .issuer("https://evil.example")));
    wrong.put(
        "wrong_audience",
        tokens.sign(
            TestTokens.claims("ada", List.of(), Duration.ofMinutes(5)).audience("someone-else")));
    wrong.put(
        "missing_claim",
        tokens.sign(TestTokens.claims("ada", List.of(), Duration.ofMinutes(5)).subject(null)));
    wrong.put(
        "unknown_key",
        TestTokens.sign(
            new RSASSASigner(tokens.key),
            JWSAlgorithm.RS256,
            TestTokens.claims("ada", List.of(), Duration.ofMinutes(5)),
            header -> header.keyID("rotated-away")));
    return wrong;
  }

  @Test
  void everyWrongTokenIsRefusedAtTheHandshakeWithItsOwnReason() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    HttpResponse<?> missing = refusedHandshake(null);
    softly.assertThat(missing.statusCode()).isEqualTo(401);
    softly.assertThat(missing.body().toString()).contains("missing: a token is required");
    wrongTokens()
        .forEach(
            (reason, token) -> {
              HttpResponse<?> refused = refusedHandshake(token);
              softly.assertThat(refused.statusCode()).as(reason).isEqualTo(401);
              softly.assertThat(refused.body().toString()).as(reason).contains("(" + reason + ":");
              softly
                  .assertThat(refused.headers().firstValue("WWW-Authenticate"))
                  .as(reason)
                  .hasValueSatisfying(
                      value ->
                          assertThat(value)
                              .contains("error=\"invalid_token\"")
                              .contains(reason + ":"));
            });
    softly.assertAll();
  }

  @Test
  void everyWrongTokenInABindIsRefusedWithItsCodeAndReasonAndTheConnectionGoesOn()
      throws Exception {
    String ada = tokens.token("ada", List.of("red"), Duration.ofMinutes(5));
    Map<String, String> wrong = wrongTokens();
    try (RawConnection raw = RawConnection.open(server.port(), ada)) {
      long session = 0;
      for (String token : wrong.values()) {
        raw.send(new Bind(++session, "user-ada", token, true));
      }
      raw.send(new Bind(++session, "user-ada", null, true));
      long good = session;
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  raw.received(Error.class).size() == wrong.size()
                      && !raw.received(ServerIdent.class).isEmpty());

      SoftAssertions softly = new SoftAssertions();
      long expected = 0;
      for (String reason : wrong.keySet()) {
        long id = ++expected;
        Error error =
            raw.received(Error.class).stream()
                .filter(e -> e.getSession() == id)
                .findFirst()
                .orElseThrow();
        ErrorCode code =
            reason.equals("expired") ? ErrorCode.TOKEN_EXPIRED : ErrorCode.AUTHENTICATION_FAILED;
        softly.assertThat(error.getCode()).as(reason).isEqualTo(code.code());
        softly.assertThat(error.getMessage()).as(reason).contains("(" + reason + ":");
      }
      softly.assertThat(raw.received(ServerIdent.class).get(0).getSession()).isEqualTo(good);
      softly.assertAll();
    }
  }

  @Test
  void aGoodTokenBindsWhatItsClaimsAllowAndNothingElse() {
    String ada = tokens.token("ada", List.of("red"), Duration.ofMinutes(5));
    try (RawConnection raw = RawConnection.open(server.port(), ada)) {
      raw.send(new Bind(1L, "user-ada", null, true));
      raw.send(new Bind(2L, "team-red", null, true));
      raw.send(new Bind(3L, "public", null, true));
      raw.send(new Bind(4L, "user-bob", null, true));
      raw.send(new Bind(5L, "team-blue", null, true));

      await().atMost(PATIENCE).until(() -> raw.received(ServerIdent.class).size() == 3);
      await().atMost(PATIENCE).until(() -> raw.received(Error.class).size() == 2);
      assertThat(raw.received(ServerIdent.class))
          .extracting(ServerIdent::getSession)
          .containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(raw.received(Error.class))
          .allSatisfy(
              error -> {
                assertThat(error.getCode()).isEqualTo(ErrorCode.PERMISSION_DENIED.code());
                assertThat(error.getMessage()).contains("jwt ada").contains("does not allow");
              })
          .extracting(Error::getSession)
          .containsExactlyInAnyOrder(4L, 5L);
    }
  }

  @Test
  void theSharedSecretStillOpensEveryDatasetBesideJwts() {
    try (RawConnection raw = RawConnection.open(server.port(), TestTokens.SHARED_SECRET)) {
      raw.send(new Bind(1L, "user-bob", null, true));
      raw.send(new Bind(2L, "anything-at-all", null, true));

      await().atMost(PATIENCE).until(() -> raw.received(ServerIdent.class).size() == 2);
      assertThat(raw.received(Error.class)).isEmpty();
    }
  }

  /** The response of a handshake that must be refused. */
  private HttpResponse<?> refusedHandshake(String token) {
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("tributary-sync#1");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    Throwable failure =
        catchThrowable(
            () ->
                builder
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {})
                    .join());
    assertThat(failure).as("the handshake with %s is refused", token).isNotNull();
    return ((WebSocketHandshakeException) failure.getCause()).getResponse();
  }
}

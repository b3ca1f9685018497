package io.tributary.gateway.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.tributary.gateway.jwt.JwtVerdict.Reason;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys from a JWKS URL served by a real HTTP server: rotation, removal, and the URL down. */
class JwksVerifierTest {

  private static final JwksCaching QUICK =
      new JwksCaching(
          Duration.ofSeconds(2),
          Duration.ofMillis(100),
          Duration.ofHours(1),
          Duration.ofSeconds(1));

  private final RSAKey first = key("first");
  private final RSAKey second = key("second");
  private final AtomicReference<List<RSAKey>> published = new AtomicReference<>(List.of(first));
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;
  private JwtVerifier verifier;

  @BeforeEach
  void serveTheKeys() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body =
              new JWKSet(List.copyOf(published.get().stream().map(RSAKey::toPublicJWK).toList()))
                  .toString()
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    verifier = JwtVerifier.jwks(url, QUICK, JwtRules.NONE);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aKeyAddedToTheSetIsFetchedWhenATokenNamesItAndOneRemovedIsRefusedOnceTheCacheLapses() {
    assertThat(verifier.verify(token(first))).isInstanceOf(JwtVerdict.Accepted.class);
    published.set(List.of(first, second));
    assertThat(verifier.verify(token(second)))
        .as("an unknown key id fetches the set again")
        .isInstanceOf(JwtVerdict.Accepted.class);

    published.set(List.of(second));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reason(verifier.verify(token(first))) == Reason.UNKNOWN_KEY);
    assertThat(verifier.verify(token(second))).isInstanceOf(JwtVerdict.Accepted.class);
  }

  @Test
  void whileTheUrlIsDownKnownKeysStillVerifyAndAnUnknownOneIsRefusedClearly() {
    assertThat(verifier.verify(token(first))).isInstanceOf(JwtVerdict.Accepted.class);
    server.stop(0);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofSeconds(3)) // Past the cache's 2 s: the set cannot be fetched again.
        .until(() -> verifier.verify(token(first)) instanceof JwtVerdict.Accepted);
    assertThat(reason(verifier.verify(token(second)))).isEqualTo(Reason.UNKNOWN_KEY);
  }

  @Test
  void aUrlThatWasNeverReachedRefusesEveryTokenAsKeysUnavailable() throws Exception {
    server.stop(0);
    JwtVerifier unreachable =
        JwtVerifier.jwks(
            new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json"),
            QUICK,
            JwtRules.NONE);
    assertThat(reason(unreachable.verify(token(first)))).isEqualTo(Reason.KEYS_UNAVAILABLE);
  }

  @Test
  void unknownKeyIdsDoNotFetchTheSetMoreOftenThanTheRateLimit() {
    assertThat(verifier.verify(token(first))).isInstanceOf(JwtVerdict.Accepted.class);
    int before = fetches.get();
    String stranger = token(key("stranger"));
    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      // Unknown after a fetch, and unknown still while the rate limit holds the next one back.
      assertThat(reason(verifier.verify(stranger))).isEqualTo(Reason.UNKNOWN_KEY);
    }
    long intervals = (System.nanoTime() - started) / QUICK.refreshAtMost().toNanos() + 1;
    assertThat(fetches.get() - before)
        .as(
            "fetches for 50 tokens with a key id nobody has, over %d rate-limit intervals",
            intervals)
        // Nimbus allows two fetches an interval; the loop's first and last intervals are partial.
        .isLessThanOrEqualTo((int) (2 * (intervals + 1)))
        .isLessThan(50);
  }

  private static Reason reason(JwtVerdict verdict) {
    return verdict instanceof JwtVerdict.Refused refused ? refused.reason() : null;
  }

  private static String token(RSAKey key) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
              new JWTClaimsSet.Builder()
                  .subject("ada")
                  .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                  .build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey key(String id) {
    try {
      return new RSAKeyGenerator(2048).keyID(id).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

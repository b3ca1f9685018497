package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.tributary.core.auth.Admission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys from a JWKS URL that a real HTTP server of the test publishes, over real WebSockets: a new
 * key id is fetched and accepted, a removed one refused once the cache lapses, and while the URL is
 * down the cached keys go on working and an unknown key id is refused clearly.
 */
class JwksAuthenticationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration CACHE = Duration.ofSeconds(2);

  private final RSAKey first = key("first");
  private final RSAKey second = key("second");
  private final AtomicReference<List<RSAKey>> published = new AtomicReference<>(List.of(first));
  private final HttpServer keys = serve(published);

  @RegisterExtension
  final RunningServer server = new RunningServer().withAdmission(admission(keys));

  @AfterEach
  void stopTheKeys() {
    keys.stop(0);
  }

  @Test
  void aNewKeyIdIsFetchedAndAcceptedAndARemovedOneRefusedOnceTheCacheLapses() {
    assertThat(handshake(token(first))).isEqualTo(101);
    assertThat(refusal(token(second))).contains("(unknown_key:");

    published.set(List.of(first, second)); // The provider rotates in a new key.
    await().atMost(PATIENCE).until(() -> handshake(token(second)) == 101);

    published.set(List.of(second)); // And retires the old one.
    await().atMost(PATIENCE).until(() -> handshake(token(first)) == 401);
    assertThat(refusal(token(first))).contains("(unknown_key:");
    assertThat(handshake(token(second))).isEqualTo(101);
  }

  @Test
  void whileTheUrlIsDownCachedKeysAreAcceptedAndAnUnknownKeyIdIsRefusedClearly() {
    assertThat(handshake(token(first))).isEqualTo(101);
    keys.stop(0);

    // Past the cache's lifetime: the keys last fetched still verify.
    await()
        .pollDelay(CACHE.plusMillis(500))
        .atMost(PATIENCE)
        .until(() -> handshake(token(first)) == 101);
    assertThat(handshake(token(key("never-published")))).isEqualTo(401);
    assertThat(refusal(token(key("never-published")))).contains("(unknown_key:");
  }

  private static Admission admission(HttpServer keys) {
    try {
      Path config = Files.createTempDirectory("tributary-jwks-").resolve("config.json");
      Files.writeString(
          config,
          """
          {"auth": {"jwt": {"jwksUrl": "http://127.0.0.1:%d/jwks.json",
                            "jwksCacheSeconds": %s, "jwksRefreshAtMostSeconds": 0.1}},
           "permissions": {"jwt": [{"dataset": "user-{sub}", "access": "read-write"}]}}
          """
              .formatted(keys.getAddress().getPort(), CACHE.toMillis() / 1000.0));
      return Startup.admission(Settings.resolve(new SettingOptions(), ConfigFile.read(config)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpServer serve(AtomicReference<List<RSAKey>> published) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/jwks.json",
          exchange -> {
            byte[] body =
                new JWKSet(List.copyOf(published.get().stream().map(RSAKey::toPublicJWK).toList()))
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The handshake's status: 101 if the WebSocket opened. */
  private int handshake(String token) {
    Throwable failure = catchThrowable(() -> open(token).abort());
    return failure == null
        ? 101
        : ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
  }

  private String refusal(String token) {
    Throwable failure = catchThrowable(() -> open(token).abort());
    assertThat(failure).isNotNull();
    return ((WebSocketHandshakeException) failure.getCause()).getResponse().body().toString();
  }

  private WebSocket open(String token) {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .subprotocols("tributary-sync#1")
        .header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {})
        .join();
  }

  private static String token(RSAKey key) {
    try {
      return TestTokens.sign(
          new RSASSASigner(key),
          JWSAlgorithm.RS256,
          new com.nimbusds.jwt.JWTClaimsSet.Builder()
              .subject("ada")
              .expirationTime(new java.util.Date(System.currentTimeMillis() + 300_000)),
          header -> header.keyID(key.getKeyID()));
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

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role alone is set up as the whole server is: the same configuration file and keys, the same
 * authentication, and an admin port with health, metrics and the log level.
 */
class RoleCommandsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String ADMIN_PASSWORD = "role-admin-password";

  @TempDir Path work;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aGatewayAloneTakesTheConfigurationFileAndItsAuthentication() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    int sync = RoleProcess.freePort();
    int admin = RoleProcess.freePort();
    Path conf =
        Files.writeString(
            work.resolve("gateway.json"),
            """
            {
              "modelFile": "%s",
              "kafkaBootstrap": "%s",
              "topicPrefix": "%s",
              "partitions": 1,
              "bind": "ws://127.0.0.1:%d",
              "adminBind": "127.0.0.1:%d",
              "materializerUrl": "http://127.0.0.1:9",
              "auth": {"sharedSecret": "s3cret"},
              "adminAuth": {"username": "ops", "password": "%s"}
            }
            """
                .formatted(
                    Fixtures.exampleModel(),
                    TestKafka.bootstrap(),
                    topics.prefix(),
                    sync,
                    admin,
                    ADMIN_PASSWORD));
    try (RoleProcess gateway =
        RoleProcess.start(work.resolve("logs"), "gateway", "gateway", "-c", conf.toString())) {
      await()
          .atMost(PATIENCE)
          .until(() -> status(admin, "/health/ready") == 200 || !gateway.alive());
      assertThat(gateway.alive()).as(gateway.output()).isTrue();

      assertThat(handshake(sync, "guess")).as("a wrong token").isEqualTo(401);
      assertThat(handshake(sync, "s3cret")).as("the shared secret").isEqualTo(101);
      assertThat(get(admin, "/metrics")).contains("tributary_gateway_connections");
      assertThat(put(admin, "/log-level", "debug")).isEqualTo("debug\n");
      assertThat(status(admin, "/")).isEqualTo(404); // No web UI on a role alone.
      assertThat(gateway.output()).doesNotContain("INSECURE");
    }
  }

  @Test
  void aSequencerAloneHasTheAdminPort() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    int admin = RoleProcess.freePort();
    try (RoleProcess sequencer =
        RoleProcess.start(
            work.resolve("logs"),
            "sequencer",
            "sequencer",
            "--kafka-bootstrap",
            TestKafka.bootstrap(),
            "--topic-prefix",
            topics.prefix(),
            "--partitions",
            "1",
            "--admin-bind",
            "127.0.0.1:" + admin,
            "-c",
            Files.writeString(
                    work.resolve("admin.json"),
                    "{\"adminAuth\": {\"username\": \"ops\", \"password\": \""
                        + ADMIN_PASSWORD
                        + "\"}}")
                .toString())) {
      await()
          .atMost(PATIENCE)
          .until(() -> status(admin, "/health/ready") == 200 || !sequencer.alive());
      assertThat(sequencer.alive()).as(sequencer.output()).isTrue();
      assertThat(get(admin, "/metrics")).contains("tributary_sequencer");
    }
  }

  @Test
  void aRoleAloneNeedsAKafkaCluster() throws Exception {
    try (RoleProcess sequencer =
        RoleProcess.start(work.resolve("logs"), "sequencer", "sequencer", "--admin-off")) {
      assertThat(sequencer.awaitExit(PATIENCE)).isEqualTo(1);
      assertThat(sequencer.output())
          .contains("a sequencer alone runs on an existing Kafka cluster: give --kafka-bootstrap");
    }
  }

  /** The HTTP status of a WebSocket handshake with {@code token}: 101 if accepted. */
  private int handshake(int port, String token) {
    try {
      WebSocket socket =
          http.newWebSocketBuilder()
              .subprotocols(io.tributary.schemas.codec.Handshake.currentSubprotocol())
              .header("Authorization", "Bearer " + token)
              .buildAsync(URI.create("ws://127.0.0.1:" + port), new WebSocket.Listener() {})
              .join();
      socket.abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  private int status(int port, String path) {
    try {
      return http.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1; // Not listening yet.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String get(int port, String path) throws Exception {
    return http.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String put(int port, String path, String body) throws Exception {
    return http.send(
            request(port, path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header(
            "Authorization",
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString(("ops:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }
}

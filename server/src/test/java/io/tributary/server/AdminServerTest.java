package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.tributary.client.SyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin port: liveness, readiness and Prometheus metrics of a running server. */
class AdminServerTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthAndMetricsDescribeTheRunningServer() throws Exception {
    try (AdminServer admin = TestAdmin.start(server);
        SyncClient client =
            new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")) {
      assertThat(get(admin, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(admin, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.version())
          .as("HTTP/1.1 only: the client's h2c upgrade is declined")
          .isEqualTo(HttpClient.Version.HTTP_1_1);

      client.connect().join();
      client.write(tx -> tx.create("Task", 1));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();

      String metrics = get(admin, "/metrics").body();
      assertThat(metrics)
          .containsPattern("(?m)^tributary_gateway_connections\\{gateway=\"[^\"]+\"} 1\\.0$")
          .containsPattern("(?m)^tributary_gateway_messages_total\\{.*type=\"Upload\".*} [1-9]")
          .containsPattern("(?m)^tributary_gateway_bytes_in_total\\{.*} [1-9]")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void notReadyWhileTheServerIsNot() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (AdminServer admin = AdminServer.start("127.0.0.1", 0, ready::get)) {
      assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(admin, "/health/live").statusCode()).as("alive all the same").isEqualTo(200);
      ready.set(true);
      await().until(() -> get(admin, "/health/ready").statusCode() == 200);
      assertThat(get(admin, "/metrics").statusCode())
          .as("nothing but health before the users are read")
          .isEqualTo(503);
    }
  }

  @Test
  void theLogLevelChangesWhileTheServerRuns() throws Exception {
    ch.qos.logback.classic.Logger gateway =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.tributary.gateway");
    try (LogCapture log = new LogCapture("io.tributary.gateway");
        AdminServer admin = TestAdmin.start(server)) {
      String path = "/log-level?logger=io.tributary.gateway";
      assertThat(get(admin, path).body()).isEqualTo("info\n");
      connectOnce();
      assertThat(log.messages(Level.DEBUG)).noneMatch(m -> m.contains(" from "));

      HttpResponse<String> changed = put(admin, path, "debug");
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(changed.body()).isEqualTo("debug\n");
      connectOnce();

      await()
          .untilAsserted(
              () ->
                  assertThat(log.messages(Level.DEBUG))
                      .anyMatch(m -> m.matches("Connection \\d+ from .*"))
                      .anyMatch(m -> m.matches("Connection \\d+ <- Bind \\(\\d+ bytes\\)")));
      HttpResponse<String> refused = put(admin, path, "loud");
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("not loud");
      assertThat(put(admin, path, "info").body()).isEqualTo("info\n");
    } finally {
      gateway.setLevel(null);
    }
  }

  private void connectOnce() throws Exception {
    try (SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")) {
      client.connect().join();
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
    }
  }

  private HttpResponse<String> put(AdminServer admin, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .header("Authorization", TestAdmin.BASIC)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(AdminServer admin, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .header("Authorization", TestAdmin.BASIC)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

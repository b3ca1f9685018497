package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import io.tributary.testkit.TestKafka;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings of the configuration file, and the command line over them, on the real command in
 * its own process (against the test broker, through {@code kafkaBootstrap}).
 */
class CommandLineTest {

  @TempDir Path dir;

  @Test
  void everyKeyOfTheConfigurationFileTakesEffect() throws Exception {
    int sync = RoleProcess.freePort();
    int admin = RoleProcess.freePort();
    Path data = dir.resolve("from-the-file");
    Path conf = configFile(sync, admin, data);

    try (RoleProcess server = start("-c", conf.toString())) {
      awaitStarted(server);

      assertThat(server.output())
          .contains("Configuration file " + conf + " loaded")
          .contains("Authentication by shared secret")
          .contains("Sync listening on 127.0.0.1:" + sync + " without SSL")
          .contains("Admin listening on http://127.0.0.1:" + admin)
          .doesNotContain("Embedded Kafka broker")
          .doesNotContain("INSECURE");
      assertThat(data.resolve("materializer")).isDirectory();
      String base = "http://127.0.0.1:" + admin;
      assertThat(get(base + "/log-level", null).statusCode()).as("adminAuth").isEqualTo(401);
      assertThat(get(base + "/log-level", "ops:wrong").statusCode()).isEqualTo(401);
      assertThat(get(base + "/log-level", "ops:pa55").body()).isEqualTo("debug\n");
      assertThat(get(base + "/health/live", null).statusCode())
          .as("probes stay open")
          .isEqualTo(200);

      try (SyncClient client =
          new SyncClient(URI.create("ws://127.0.0.1:" + sync), "tasks")
              .tokenProvider(() -> "s3cret")) {
        client.connect().join();
        client.write(tx -> tx.create("Task", 1));
        assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
      }
      // logLevel debug: the gateway logs each connection and message.
      await()
          .until(
              () -> server.output().matches("(?s).*Connection \\d+ <- Upload \\(\\d+ bytes\\).*"));
    }
  }

  @Test
  void theCommandLineWinsOverTheFile() throws Exception {
    int fileSync = RoleProcess.freePort();
    int fileAdmin = RoleProcess.freePort();
    int sync = RoleProcess.freePort();
    Path conf = configFile(fileSync, fileAdmin, dir.resolve("from-the-file"));
    Path data = dir.resolve("from-the-command-line");

    try (RoleProcess server =
        start(
            "-c",
            conf.toString(),
            "--bind",
            "ws://127.0.0.1:" + sync,
            "--db-directory",
            data.toString(),
            "--admin-off",
            "--log-level",
            "warn")) {
      await().atMost(Duration.ofMinutes(2)).until(() -> SyncPort.ready(sync) || !server.alive());
      assertThat(server.alive()).as(server.output()).isTrue();

      assertThat(listening(fileSync)).isFalse();
      assertThat(listening(fileAdmin)).as("--admin-off").isFalse();
      assertThat(data.resolve("materializer")).isDirectory();
      assertThat(dir.resolve("from-the-file")).doesNotExist();
      assertThat(server.output()).as("warn: no INFO line").doesNotContain("[INFO ]");
    }
  }

  @Test
  void theDefaultFileInTheWorkingDirectoryCountsWithItsSwitches() throws Exception {
    int sync = RoleProcess.freePort();
    Path workingDirectory = Files.createDirectories(dir.resolve("cwd"));
    Files.writeString(
        workingDirectory.resolve("sync-server-config.json"),
        """
        {
          "modelFile": "%s",
          "dbDirectory": "data",
          "bind": "ws://127.0.0.1:%d",
          "kafkaBootstrap": "%s",
          "unsecuredNoAuthentication": true,
          "adminOff": true,
          "logLevel": "error",
          "idleTimeout": 2
        }
        """
            .formatted(Fixtures.exampleModel(), sync, TestKafka.bootstrap()));

    try (RoleProcess server =
        RoleProcess.startAsShippedIn(
            workingDirectory, dir.resolve("logs"), "default-conf", "--debug")) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> server.output().contains("started in") || !server.alive());
      assertThat(server.alive()).as(server.output()).isTrue();

      assertThat(server.output())
          .as("--debug over the file's logLevel")
          .contains("[INFO ] [SySvAp] Default configuration file sync-server-config.json loaded")
          .contains("[WARN ] [SySvAp] INSECURE no-authentication mode")
          .doesNotContain("Admin listening");
      assertThat(workingDirectory.resolve("data/materializer")).isDirectory();

      // idleTimeout 2: a client that says nothing is let go after about two seconds.
      java.util.concurrent.CompletableFuture<Integer> closed =
          new java.util.concurrent.CompletableFuture<>();
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .subprotocols(io.tributary.schemas.codec.Handshake.currentSubprotocol())
          .buildAsync(
              URI.create("ws://127.0.0.1:" + sync),
              new java.net.http.WebSocket.Listener() {
                @Override
                public java.util.concurrent.CompletionStage<?> onClose(
                    java.net.http.WebSocket socket, int status, String reason) {
                  closed.complete(status);
                  return null;
                }
              })
          .join();
      assertThat(closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
      await()
          .until(
              () ->
                  server
                      .output()
                      .matches("(?s).*\\[DEBUG\\] \\[SvSync\\] Connection \\d+ closed.*"));
    }
  }

  private Path configFile(int sync, int admin, Path data) throws Exception {
    return Files.writeString(
        dir.resolve("sync-server-config-" + sync + ".json"),
        """
        {
          "_note": "every key of the configuration file",
          "modelFile": "%s",
          "dbDirectory": "%s",
          "bind": "ws://127.0.0.1:%d",
          "adminBind": "http://127.0.0.1:%d",
          "auth": {"sharedSecret": "s3cret"},
          "adminAuth": {"username": "ops", "password": "pa55"},
          "kafkaBootstrap": "%s",
          "idleTimeout": 30,
          "logLevel": "debug",
          "dbMaxSize": "10G"
        }
        """
            .formatted(Fixtures.exampleModel(), data, sync, admin, TestKafka.bootstrap()));
  }

  private RoleProcess start(String... args) {
    return RoleProcess.startAsShipped(
        dir.resolve("logs"), "sync-server-" + System.nanoTime(), args);
  }

  private static void awaitStarted(RoleProcess server) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> server.output().contains("started in") || !server.alive());
    assertThat(server.alive()).as(server.output()).isTrue();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static HttpResponse<String> get(String uri, String userAndPassword) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
    if (userAndPassword != null) {
      request.header(
          "Authorization",
          "Basic " + java.util.Base64.getEncoder().encodeToString(userAndPassword.getBytes()));
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

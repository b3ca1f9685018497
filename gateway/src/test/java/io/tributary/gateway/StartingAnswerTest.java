package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** While the server starts, its sync port says when to come back, and then gives the port up. */
class StartingAnswerTest {

  @Test
  void aStartingServerAnswers503WithRetryAfterAndThenLetsThePortGo() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      StartingAnswer starting = StartingAnswer.listen(vertx, "127.0.0.1", port, null).await();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).contains("1");

      Throwable refused = handshake(http, port);
      assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(503);

      starting.close().await();
      try (ServerSocket gateway = new ServerSocket(port)) {
        assertThat(gateway.getLocalPort()).as("the port is free for the gateway").isEqualTo(port);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static Throwable handshake(HttpClient http, int port) {
    try {
      http.newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {})
          .join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("a starting server accepted a WebSocket");
  }
}

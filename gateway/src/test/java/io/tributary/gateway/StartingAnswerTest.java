package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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

/**
 * While the server starts, its sync port says when to come back; the gateway then listens on the
 * same port beside it (Vert.x shares the socket) before it goes, so that the port never closes.
 */
class StartingAnswerTest {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aStartingServerAnswers503WithRetryAfterUntilTheGatewayHasThePort() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      for (int round = 0; round < 5; round++) {
        // A port of its own each round: Vert.x binding a port it has just closed can fail.
        int port = freePort();
        StartingAnswer starting = StartingAnswer.listen(vertx, "127.0.0.1", port, null).await();
        HttpResponse<String> answer = get(port);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        Throwable refused = handshake(port);
        assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode())
            .isEqualTo(503);

        HttpServer gateway =
            vertx
                .createHttpServer(SyncVerticle.serverOptions("127.0.0.1", port, null))
                .requestHandler(request -> request.response().setStatusCode(426).end())
                .listen()
                .await();
        starting.close().await();
        assertThat(get(port).statusCode()).as("the gateway answers now").isEqualTo(426);
        gateway.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  private HttpResponse<String> get(int port) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Throwable handshake(int port) {
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

  private static int freePort() throws java.io.IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}

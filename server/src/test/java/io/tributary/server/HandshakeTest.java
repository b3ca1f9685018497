package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WebSocket handshake: a protocol version both sides speak, or a clear HTTP refusal. */
class HandshakeTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theServerChoosesTheVersionItSpeaksAmongThoseOffered() {
    WebSocket socket =
        http.newWebSocketBuilder()
            .subprotocols("tributary-sync#7", "tributary-sync#1", "tributary-token.abc-123")
            .buildAsync(uri(), new WebSocket.Listener() {})
            .join();

    assertThat(socket.getSubprotocol()).isEqualTo("tributary-sync#1");
    socket.abort();
  }

  @Test
  void aTokenCanTravelInTheAuthorizationHeader() {
    WebSocket socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer some-token")
            .subprotocols("tributary-sync#1")
            .buildAsync(uri(), new WebSocket.Listener() {})
            .join();

    assertThat(socket.getSubprotocol()).isEqualTo("tributary-sync#1");
    socket.abort();
  }

  @Test
  void withoutAVersionItSpeaksTheHandshakeIsRefusedWithAReason() {
    HttpResponse<?> refusal = refusal("tributary-sync#99");

    assertThat(refusal.statusCode()).isEqualTo(400);
    assertThat(refusal.body().toString())
        .contains("no sync protocol version this server speaks")
        .contains("tributary-sync#1");
  }

  @Test
  void aPlainHttpRequestIsToldToUpgrade() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(426);
    assertThat(response.body()).contains("connect with a WebSocket");
  }

  private HttpResponse<?> refusal(String subprotocol) {
    Throwable failure =
        catchThrowable(
            () ->
                http.newWebSocketBuilder()
                    .subprotocols(subprotocol)
                    .buildAsync(uri(), new WebSocket.Listener() {})
                    .join());
    assertThat(failure).isInstanceOf(CompletionException.class);
    assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) failure.getCause()).getResponse();
  }

  private URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port());
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.core.ErrorCode;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Download;
import io.tributary.schemas.Error;
import io.tributary.schemas.Refresh;
import io.tributary.schemas.ServerIdent;
import io.tributary.testkit.RawConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens at the handshake, in BIND and in REFRESH, against a server that checks them. */
class AuthenticationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension
  final RunningServer server =
      new RunningServer().withAuthenticator(RunningServer.tokensStartingWith("good"));

  @Test
  void aHandshakeWithoutAnAcceptedTokenIsRefusedWith401() {
    Throwable failure =
        catchThrowable(
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("tributary-sync#1")
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {})
                    .join());

    WebSocketHandshakeException refused = (WebSocketHandshakeException) failure.getCause();
    assertThat(refused.getResponse().statusCode()).isEqualTo(401);
    assertThat(refused.getResponse().body().toString()).contains("not a token of this test");
  }

  @Test
  void aTokenCanComeAsASubprotocolForBrowsers() {
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols("tributary-sync#1", "tributary-token.good-browser")
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port()), new WebSocket.Listener() {})
            .join();

    assertThat(socket.getSubprotocol()).isEqualTo("tributary-sync#1");
    socket.abort();
  }

  @Test
  void aBindWithARefusedTokenIsRefusedAndTheConnectionGoesOn() {
    try (RawConnection raw = RawConnection.open(server.port(), "good-connection")) {
      raw.send(new Bind(1L, "tasks", "stolen", true));
      raw.send(new Bind(2L, "tasks", null, true));

      await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getSession()).isEqualTo(1L);
      assertThat(error.getCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED.code());
      assertThat(raw.received(ServerIdent.class).get(0).getSession()).isEqualTo(2L);
    }
  }

  @Test
  void aRefreshedTokenKeepsTheSessionAndARefusedOneEndsIt() {
    try (RawConnection raw = RawConnection.open(server.port(), "good-connection")) {
      raw.send(new Bind(1L, "tasks", null, true));
      await().atMost(PATIENCE).until(() -> !raw.received(ServerIdent.class).isEmpty());
      ServerIdent ident = raw.received(ServerIdent.class).get(0);
      raw.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
      await().atMost(PATIENCE).until(() -> !raw.received(Download.class).isEmpty());

      raw.send(new Refresh(1L, "good-later"));
      raw.send(new Refresh(1L, "expired"));

      await().atMost(PATIENCE).until(() -> !raw.received(Error.class).isEmpty());
      assertThat(raw.received(Error.class)).hasSize(1);
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED.code());
      assertThat(error.getMessage())
          .contains("refreshed token is refused (unknown: not a token of this test)");
    }
  }
}

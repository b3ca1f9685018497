package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.SyncClient;
import io.tributary.core.session.ConnectionLimits;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.gateway.ConnectionQuotas;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway that refuses a connection says when to come back, and the SDK reads it: a full gateway
 * answers 503 with Retry-After, which the client's next attempt waits for instead of its backoff.
 */
class RetryAfterTest {

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withConnections(
              new ConnectionPolicy(
                  Duration.ofMinutes(10),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(10),
                  8,
                  ConnectionPolicy.DEFAULTS.gatewayUploadsInFlight(),
                  ConnectionLimits.DEFAULTS,
                  new ConnectionQuotas(1, 1_000, 1_000, 10_000)));

  @Test
  void aFullGatewaySaysWhenToComeBackAndTheClientHearsIt() throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + server.port());
    try (SyncClient first = new SyncClient(uri, "retry");
        SyncClient second = new SyncClient(uri, "retry")) {
      first.connect().join();

      Throwable refusal = catchRefusal(second);

      assertThat(refusal).isInstanceOf(WebSocketHandshakeException.class);
      WebSocketHandshakeException handshake = (WebSocketHandshakeException) refusal;
      assertThat(handshake.getResponse().statusCode()).isEqualTo(503);
      assertThat(io.tributary.client.RetryAfter.of(refusal)).contains(Duration.ofSeconds(30));
    }
  }

  private static Throwable catchRefusal(SyncClient client) {
    try {
      client.connect().join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("the gateway let a second connection in past its quota of one");
  }
}

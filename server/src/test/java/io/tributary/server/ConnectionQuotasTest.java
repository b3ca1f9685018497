package io.tributary.server;

import static io.tributary.server.ConnectionBoundsTest.identified;
import static io.tributary.server.ConnectionBoundsTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.gateway.ConnectionQuotas;
import io.tributary.schemas.Download;
import io.tributary.testkit.RawConnection;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's quotas: connections in all and per address, each session's upload rate; a client
 * over one is refused or slowed while bystanders keep syncing. Clients come from different loopback
 * addresses (127.0.0.2, ...), the bystanders from 127.0.0.1.
 */
class ConnectionQuotasTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int PER_ADDRESS = 4;
  private static final int IN_ALL = 7;
  private static final int PER_SECOND = 50;
  private static final int BURST = 20;

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withConnections(
              ConnectionPolicy.DEFAULTS.withQuotas(
                  new ConnectionQuotas(IN_ALL, PER_ADDRESS, PER_SECOND, BURST)));

  @RegisterExtension final CountingMeters meters = new CountingMeters();

  @Test
  void connectionsFromOneAddressBeyondItsQuotaAreRefusedWith429() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (Bystanders bystanders = new Bystanders(server.port())) {
      for (int i = 0; i < PER_ADDRESS; i++) {
        sockets.add(open("127.0.0.2", 101));
      }
      open("127.0.0.2", 429).close();
      bystanders.syncWhile(() -> false);

      sockets.remove(0).close(); // Its place is free again once the server has seen it go.
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                Socket again = handshake("127.0.0.2");
                if (RawHandshake.status(again) == 101) {
                  sockets.add(again);
                  return true;
                }
                again.close();
                return false;
              });
      bystanders.assertInSync();
      assertThat(refusals("address_full")).isGreaterThanOrEqualTo(1);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void connectionsBeyondTheGatewaysQuotaAreRefusedWith503() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (Bystanders bystanders = new Bystanders(server.port())) {
      for (int i = 0; i < PER_ADDRESS; i++) {
        sockets.add(open("127.0.0.2", 101));
      }
      sockets.add(open("127.0.0.3", 101)); // 2 bystanders + 5: the gateway is full.
      open("127.0.0.4", 503).close();
      bystanders.syncWhile(() -> false);
      bystanders.assertInSync();
      assertThat(refusals("gateway_full")).isGreaterThanOrEqualTo(1);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void aSessionOverItsUploadRateIsSlowedNotRefusedAndLosesNothing() throws Exception {
    int changesets = 200;
    try (Bystanders bystanders = new Bystanders(server.port());
        RawConnection flood = RawConnection.open(server.port())) {
      long ident = identified(flood, "flood");
      long started = System.nanoTime();
      for (int version = 1; version <= changesets; version++) {
        flood.send(upload(ident, version, 1));
      }
      bystanders.syncWhile(() -> acknowledged(flood) < changesets);
      await().atMost(PATIENCE).until(() -> acknowledged(flood) == changesets);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      // The bucket lets BURST through at once, then PER_SECOND a second: no faster than that.
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(1000L * (changesets - BURST) / PER_SECOND));
      assertThat(flood.received(io.tributary.schemas.Error.class)).isEmpty();
      assertThat(counted("tributary.gateway.upload.throttles")).isGreaterThanOrEqualTo(1);
      bystanders.assertInSync();
    }
  }

  private static long acknowledged(RawConnection connection) {
    return connection.received(Download.class).stream()
        .mapToLong(Download::getUploadProgress)
        .max()
        .orElse(0);
  }

  /** A WebSocket handshake from {@code from}, which must be answered with {@code status}. */
  private Socket open(String from, int expected) throws IOException {
    Socket socket = handshake(from);
    assertThat(RawHandshake.status(socket)).as("the handshake from %s", from).isEqualTo(expected);
    return socket;
  }

  private Socket handshake(String from) throws IOException {
    Socket socket = RawHandshake.send(from, server.port(), -1);
    socket.setSoTimeout((int) PATIENCE.toMillis());
    return socket;
  }

  private static double refusals(String reason) {
    return Metrics.globalRegistry
        .find("tributary.gateway.handshakes.refused")
        .tag("reason", reason)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static double counted(String name) {
    return Metrics.globalRegistry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}

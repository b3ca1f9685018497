package io.tributary.server;

import static io.tributary.server.ConnectionBoundsTest.identified;
import static io.tributary.server.ConnectionBoundsTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.schemas.Download;
import io.tributary.schemas.Error;
import io.tributary.testkit.RawConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under overload the gateway accepts only what it can answer soon: many writers together hold at
 * most the gateway's budget of changesets in flight (plus one UPLOAD each), the rest wait in their
 * own sockets, nothing is lost, and a bystander beside them keeps syncing.
 */
class UploadBudgetTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int BUDGET = 8;
  private static final int FLOODS = 4;
  private static final int PER_UPLOAD = 4;
  private static final int UPLOADS = 100;

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withConnections(ConnectionPolicy.DEFAULTS.withGatewayUploadsInFlight(BUDGET));

  @RegisterExtension final CountingMeters meters = new CountingMeters();

  @Test
  void writersTogetherHoldAtMostTheGatewaysBudgetInFlightAndLoseNothingWhileABystanderSyncs()
      throws Exception {
    List<RawConnection> floods = new ArrayList<>();
    try (SyncClient writer = client();
        SyncClient reader = client()) {
      List<Long> idents = new ArrayList<>();
      for (int i = 0; i < FLOODS; i++) {
        RawConnection flood = RawConnection.open(server.port());
        floods.add(flood);
        idents.add(identified(flood, "flood-" + i));
      }
      AtomicInteger mostInFlight = new AtomicInteger();
      List<CompletableFuture<Void>> flooding = new ArrayList<>();
      for (int i = 0; i < FLOODS; i++) {
        RawConnection flood = floods.get(i);
        long ident = idents.get(i);
        flooding.add(
            CompletableFuture.runAsync(
                () -> { // As fast as the socket takes them.
                  for (int u = 0; u < UPLOADS; u++) {
                    flood.send(upload(ident, 1L + (long) u * PER_UPLOAD, PER_UPLOAD));
                  }
                }));
      }
      long written = 0;
      do {
        mostInFlight.accumulateAndGet(inFlight(), Math::max);
        long id = ++written; // The bystander writes and reads on while the floods go on.
        writer.write(tx -> tx.create("Task", id).set("Task", id, "text", Value.of("t" + id)));
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(1))
            .until(
                () -> {
                  mostInFlight.accumulateAndGet(inFlight(), Math::max);
                  return reader.get(new ObjectKey("Task", id)).isPresent();
                });
        assertThat(written).as("the floods are acknowledged in time").isLessThan(10_000);
      } while (!floods.stream().allMatch(UploadBudgetTest::allAcknowledged));
      CompletableFuture.allOf(flooding.toArray(CompletableFuture[]::new)).join();

      assertThat(mostInFlight.get())
          .as("the floods filled the budget, and no more than one UPLOAD a connection beyond it")
          .isGreaterThanOrEqualTo(BUDGET)
          .isLessThanOrEqualTo(BUDGET + (FLOODS + 2) * PER_UPLOAD);
      floods.forEach(flood -> assertThat(flood.received(Error.class)).isEmpty());
      assertThat(writer.awaitSynced(PATIENCE)).isTrue();
      assertThat(reader.awaitSynced(PATIENCE)).isTrue();
      assertThat(reader.objects()).isEqualTo(writer.objects());
      assertThat(writer.errors()).isEmpty();
      Timer answered = Metrics.globalRegistry.find("tributary.gateway.upload.latency").timer();
      assertThat(answered.count())
          .as("every changeset's time to its answer is measured")
          .isGreaterThanOrEqualTo((long) FLOODS * UPLOADS * PER_UPLOAD + written);
    } finally {
      floods.forEach(RawConnection::close);
    }
  }

  private SyncClient client() {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "bystand");
    client.connect().join();
    return client;
  }

  private static boolean allAcknowledged(RawConnection flood) {
    return flood.received(Download.class).stream()
            .mapToLong(Download::getUploadProgress)
            .max()
            .orElse(0)
        == (long) UPLOADS * PER_UPLOAD;
  }

  private static int inFlight() {
    return (int)
        Metrics.globalRegistry.find("tributary.gateway.uploads.in.flight").gauges().stream()
            .mapToDouble(Gauge::value)
            .sum();
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.ErrorCode;
import io.tributary.gateway.Gateway;
import io.tributary.gateway.GatewayConfig;
import io.tributary.kafka.Topics;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Error;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.TestKafka;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A gateway whose materializer cannot be reached says so, with try-again, and stays up. */
class UnavailableHistoryTest {

  @Test
  void aSessionWhoseHistoryCannotBeReachedGetsServerUnavailable() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    SyncServer.createTopics(TestKafka.bootstrap(), topics);
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort(); // Free once closed: nothing listens there.
    }
    Vertx vertx = Vertx.vertx();
    Gateway gateway =
        new Gateway(
                vertx,
                new GatewayConfig(
                    TestKafka.bootstrap(),
                    topics,
                    "127.0.0.1",
                    0,
                    "http://127.0.0.1:" + closedPort,
                    Main.loadModel(Fixtures.exampleModel())))
            .start()
            .await();
    try (RawConnection raw = RawConnection.open(gateway.port())) {
      raw.send(new Bind(1L, "tasks", null, false));
      raw.send(new ClientIdent(1L, 7L, 7L, 0L, 0L, 0L));

      await().atMost(Duration.ofSeconds(30)).until(() -> !raw.received(Error.class).isEmpty());
      Error error = raw.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE.code());
      assertThat(error.getTryAgain()).isTrue();
      assertThat(raw.closeCode()).as("the connection stays").isNull();
    } finally {
      gateway.close();
      vertx.close().await();
    }
  }
}

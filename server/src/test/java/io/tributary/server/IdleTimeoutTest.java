package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.ErrorCode;
import io.tributary.schemas.Error;
import io.tributary.schemas.Ping;
import io.tributary.schemas.Pong;
import io.tributary.testkit.RawConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A connection silent for longer than the idle timeout is ended; PINGs keep one open. */
class IdleTimeoutTest {

  @RegisterExtension
  // Idle timeout 3 s against a PING every 100 ms: a margin of 30 that a loaded machine keeps.
  final RunningServer server = new RunningServer().withIdleTimeout(Duration.ofSeconds(3));

  @Test
  void aSilentConnectionIsEndedWithAnErrorThatSaysToPing() {
    try (RawConnection silent = RawConnection.open(server.port());
        RawConnection pinging = RawConnection.open(server.port())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                pinging.send(new Ping(System.currentTimeMillis()));
                return silent.closeCode() != null;
              });

      Error error = silent.received(Error.class).get(0);
      assertThat(error.getCode()).isEqualTo(ErrorCode.IDLE_TIMEOUT.code());
      assertThat(error.getTryAgain()).isTrue();
      assertThat(error.getMessage()).contains("send PING");
      assertThat(pinging.closeCode()).as("the pinging connection stays open").isNull();
      assertThat(pinging.received(Pong.class)).isNotEmpty();
    }
  }
}

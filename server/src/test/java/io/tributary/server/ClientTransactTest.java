package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TRANSACT through the client: applied locally only once the server accepted it. */
class ClientTransactTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectKey SLOT = new ObjectKey("Task", 42);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void anAcceptedTransactIsAppliedEverywhereAndLaterWritesFollowIt() throws Exception {
    try (SyncClient booker = client();
        SyncClient other = client()) {
      booker.connect().join();
      other.connect().join();
      assertThat(booker.awaitSynced(PATIENCE)).isTrue();

      boolean accepted =
          booker
              .transact(tx -> tx.create("Task", 42).set("Task", 42, "text", Value.of("booked")))
              .get(30, TimeUnit.SECONDS);
      long next = booker.write(tx -> tx.set("Task", 42, "done", Value.of(true)));

      assertThat(accepted).isTrue();
      assertThat(next).as("the TRANSACT took version 1").isEqualTo(2);
      assertThat(booker.objects().get(SLOT)).containsEntry("text", Value.of("booked"));
      assertThat(booker.awaitSynced(PATIENCE)).isTrue();
      assertThat(other.awaitSynced(PATIENCE)).isTrue();
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(other.objects().get(SLOT))
                      .containsEntry("text", Value.of("booked"))
                      .containsEntry("done", Value.of(true)));
      assertThat(booker.objects()).isEqualTo(other.objects());
    }
  }

  @Test
  void aTransactNeedsAConnection() {
    try (SyncClient offline = client()) {
      assertThatThrownBy(() -> offline.transact(tx -> tx.create("Task", 42)).get())
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("needs a connection");
      assertThat(offline.objects()).isEmpty();
    }
  }

  private SyncClient client() {
    return new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "booking");
  }
}

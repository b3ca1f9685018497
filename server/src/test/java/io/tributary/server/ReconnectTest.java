package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.client.SyncClient.ConnectionState;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client stays connected by itself: it comes back after the server ends its connection, keeps
 * an idle one open with PINGs, and can wait until it is in sync.
 */
class ReconnectTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension
  // Idle timeout 3 s against a PING every 100 ms: a margin of 30 that a loaded machine keeps.
  final RunningServer server = new RunningServer().withIdleTimeout(Duration.ofSeconds(3));

  @Test
  void aClientComesBackByItselfAfterTheServerEndedItsConnection() throws Exception {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    try (SyncClient client = client()) {
      client.onConnectionState(states::add);
      client.connect().join();
      client.write(tx -> tx.create("Task", 1));
      assertThat(client.awaitSynced(PATIENCE)).isTrue();

      // Silent for longer than the server's idle timeout (the client pings once a minute).
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  client.errors().stream()
                      .anyMatch(e -> e.code() == ErrorCode.IDLE_TIMEOUT.code()));
      client.write(tx -> tx.create("Task", 2));

      assertThat(client.awaitSynced(PATIENCE)).as("reconnected and synced").isTrue();
      // Listeners hear of states on their own thread, maybe after the sync above (CI saw it).
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(states)
                      .containsSubsequence(
                          ConnectionState.CONNECTED,
                          ConnectionState.DISCONNECTED,
                          ConnectionState.CONNECTING,
                          ConnectionState.CONNECTED));
    }
  }

  @Test
  void pingsKeepAnIdleConnectionOpen() throws Exception {
    try (SyncClient client = client().pingEvery(Duration.ofMillis(100))) {
      client.connect().join();
      assertThat(client.awaitSynced(PATIENCE)).isTrue();

      await()
          .during(Duration.ofSeconds(7)) // Well past the idle timeout.
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client.errors().isEmpty()
                      && client.connectionState() == ConnectionState.CONNECTED);
    }
  }

  @Test
  void afterAwaitSyncedAClientHasWhatOthersWroteBefore() throws Exception {
    try (SyncClient writer = client().pingEvery(Duration.ofMillis(100));
        SyncClient reader = client().pingEvery(Duration.ofMillis(100))) {
      writer.connect().join();
      reader.connect().join();
      for (long id = 1; id <= 100; id++) {
        long task = id;
        writer.write(tx -> tx.create("Task", task).set("Task", task, "priority", Value.of(task)));
      }
      assertThat(writer.awaitSynced(PATIENCE)).isTrue();

      assertThat(reader.awaitSynced(PATIENCE)).isTrue();

      assertThat(reader.objects()).hasSize(100);
      assertThat(reader.objects().get(new ObjectKey("Task", 100)))
          .containsEntry("priority", Value.of(100L));
    }
  }

  @Test
  void connectDisconnectConnectAtOnceEndsConnected() throws Exception {
    try (SyncClient client = client()) {
      for (int i = 0; i < 20; i++) { // Each time before the first socket has opened.
        client.connect();
        client.disconnect();
        client.connect();
        assertThat(client.awaitSynced(PATIENCE)).as("round %d", i).isTrue();
        assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        client.disconnect();
      }
    }
  }

  private SyncClient client() {
    return new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
  }
}

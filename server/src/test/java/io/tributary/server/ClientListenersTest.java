package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The app's listeners run on a thread of their own, never under the client's lock: one that blocks
 * cannot stop the client, and one that calls back into it cannot deadlock it.
 */
class ClientListenersTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void aListenerThatBlocksDoesNotStopTheClient() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (SyncClient reader = client();
        SyncClient writer = client()) {
      reader.onRemoteChange(
          changeset -> {
            try {
              release.await(); // An app that blocks in its listener.
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      for (long id = 1; id <= 5; id++) {
        long task = id;
        writer.write(tx -> tx.create("Task", task));
      }
      await().atMost(PATIENCE).until(() -> reader.objects().size() == 5);
      reader.write(tx -> tx.create("Task", 6));
      assertThat(reader.awaitSynced(PATIENCE)).isTrue();
      assertThat(reader.connectionState()).isEqualTo(SyncClient.ConnectionState.CONNECTED);
      release.countDown();
    }
  }

  @Test
  void aListenerThatWritesIntoTheClientDoesNotDeadlockIt() throws Exception {
    AtomicLong echoes = new AtomicLong();
    try (SyncClient echo = client();
        SyncClient writer = client()) {
      echo.onChange(
          "Task",
          id -> {
            if (id < 100) { // Each remote task is answered with a task of its own.
              echo.write(tx -> tx.create("Task", id + 100));
              echoes.incrementAndGet();
            }
          });
      for (long id = 1; id <= 5; id++) {
        long task = id;
        writer.write(tx -> tx.create("Task", task));
      }
      await().atMost(PATIENCE).until(() -> echoes.get() >= 5);
      assertThat(echo.awaitSynced(PATIENCE)).isTrue();
      assertThat(writer.awaitSynced(PATIENCE)).isTrue();
      await().atMost(PATIENCE).until(() -> writer.get(new ObjectKey("Task", 105)).isPresent());
    }
  }

  private SyncClient client() {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "listeners");
    client.connect().join();
    return client;
  }
}

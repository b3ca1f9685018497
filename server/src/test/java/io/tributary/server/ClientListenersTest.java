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

  @Test
  void aVerdictsCallbackThatTransactsAgainAndWaitsDoesNotDeadlock() throws Exception {
    try (SyncClient booker = client()) {
      await()
          .atMost(PATIENCE)
          .until(() -> booker.connectionState() == SyncClient.ConnectionState.CONNECTED);
      java.util.concurrent.CompletableFuture<Boolean> second =
          booker
              .transact(tx -> tx.create("Task", 1))
              .thenApply(first -> booker.transact(tx -> tx.create("Task", 2)).join());
      assertThat(second.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(booker.objects()).hasSize(2);
    }
  }

  @Test
  void aListenerStillRunningAfterCloseCannotReachTheCopy() throws Exception {
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Throwable> read =
        new java.util.concurrent.CompletableFuture<>();
    SyncClient client = client();
    client.onChange(
        "Task",
        id -> {
          inListener.countDown();
          try {
            closed.await();
          } catch (InterruptedException e) {
            // Closing the client interrupts its listener thread: read on regardless.
          }
          try {
            client.objects();
            read.complete(null);
          } catch (RuntimeException e) {
            read.complete(e);
          }
        });
    client.write(tx -> tx.create("Task", 1));
    assertThat(inListener.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    client.close();
    closed.countDown();
    assertThat(read.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the client is closed");
  }

  private SyncClient client() {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "listeners");
    client.connect().join();
    return client;
  }
}

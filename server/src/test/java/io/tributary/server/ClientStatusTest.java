package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.client.SyncClient.ConnectionState;
import io.tributary.client.SyncClient.DownloadProgress;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.gateway.Authenticator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the client tells the app: download progress, token trouble, and the way out of a reset. */
class ClientStatusTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  final RunningServer server =
      new RunningServer().withAuthenticator(RunningServer.tokensStartingWith("good"));

  @RegisterExtension
  final RunningServer restored =
      new RunningServer()
          .withAuthenticator(Authenticator.unsecured()); // Another history: a restored backup.

  @TempDir Path temp;

  @Test
  void downloadProgressCountsTheBytesLeftDownToZero() throws Exception {
    try (SyncClient writer = client(server, "good-writer")) {
      writer.firstOpenWithState(false).connect().join();
      String text = "x".repeat(10_000);
      for (long id = 1; id <= 300; id++) {
        long task = id;
        writer.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of(text)));
      }
      assertThat(writer.awaitSynced(PATIENCE)).isTrue();
    }
    List<DownloadProgress> progress = new CopyOnWriteArrayList<>();
    try (SyncClient reader = client(server, "good-reader").firstOpenWithState(false)) {
      reader.onDownloadProgress(progress::add);
      reader.connect().join();
      assertThat(reader.awaitSynced(PATIENCE)).isTrue();
    }
    assertThat(progress.get(0).bytesLeft()).isGreaterThan(1_000_000);
    assertThat(progress.get(progress.size() - 1).bytesLeft()).isZero();
    assertThat(progress.get(progress.size() - 1).serverVersion()).isEqualTo(300);
  }

  @Test
  void aRefusedTokenKeepsTheClientOutUntilTheProviderHasAGoodOne() throws Exception {
    AtomicReference<String> token = new AtomicReference<>("expired");
    try (SyncClient client = new SyncClient(uri(server), "tokens")) {
      client.tokenProvider(token::get).connect();
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> client.connectionState() != ConnectionState.CONNECTED);

      token.set("good-renewed");

      assertThat(client.awaitSynced(PATIENCE)).as("reconnected by itself").isTrue();
      token.set("revoked");
      client.refreshToken();
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  client.errors().stream()
                      .anyMatch(e -> e.code() == ErrorCode.AUTHENTICATION_FAILED.code()));
      token.set("good-again");
      client.write(tx -> tx.create("Task", 1));
      assertThat(client.awaitSynced(PATIENCE)).isTrue();
    }
  }

  @Test
  void aClientRefreshesItsTokenOnASchedule() throws Exception {
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    try (SyncClient client =
        new SyncClient(uri(server), "refresh")
            .tokenProvider(() -> "good-" + asked.incrementAndGet())
            .refreshTokenEvery(Duration.ofMillis(200))) {
      client.connect().join();
      assertThat(client.awaitSynced(PATIENCE)).isTrue();
      int before = asked.get();

      await().atMost(PATIENCE).until(() -> asked.get() >= before + 3);
      assertThat(client.errors()).isEmpty();
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void aClientWhoseServerLostItsHistoryResetsAndKeepsItsUnsentChanges() throws Exception {
    Path directory = temp.resolve("device");
    try (SyncClient client =
        SyncClient.persistent(uri(server), "tasks", null, directory).tokenProvider(() -> "good")) {
      client.connect().join();
      client.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("synced")));
      assertThat(client.awaitSynced(PATIENCE)).isTrue();
    }
    // The same device meets a server that has none of that history.
    try (SyncClient client = SyncClient.persistent(uri(restored), "tasks", null, directory)) {
      client.write(tx -> tx.create("Task", 2).set("Task", 2, "text", Value.of("unsent")));
      client.connect();
      await().atMost(PATIENCE).until(() -> !client.errors().isEmpty());
      assertThat(client.errors().get(0).code())
          .isIn(ErrorCode.BAD_CLIENT_IDENT.code(), ErrorCode.CLIENT_RESET_REQUIRED.code());

      client.resetLocalCopy(true);
      client.connect();

      assertThat(client.awaitSynced(PATIENCE)).isTrue();
      assertThat(client.objects()).containsOnlyKeys(new ObjectKey("Task", 2));
      assertThat(client.errors()).isEmpty();
    }
  }

  private static SyncClient client(RunningServer target, String token) {
    return new SyncClient(uri(target), "progress").tokenProvider(() -> token);
  }

  private static URI uri(RunningServer target) {
    return URI.create("ws://127.0.0.1:" + target.port());
  }
}

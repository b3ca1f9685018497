package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.SchemaViolation;
import io.tributary.testkit.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change the server refuses does not stop a client: it is taken out of the copy, the app hears of
 * it, and every other change syncs on.
 */
class RefusedChangeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void aRefusedChangeIsTakenOutAndTheOthersSyncOn() throws Exception {
    List<SyncClient.RefusedChange> refused = new CopyOnWriteArrayList<>();
    // Without a model the client cannot check its writes: the server refuses id 0.
    try (SyncClient careless = client(null);
        SyncClient other = client(null)) {
      careless.onRefused(refused::add);
      careless.disconnect();
      careless.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("before")));
      careless.write(tx -> tx.create("Task", 0).set("Task", 0, "text", Value.of("bad id")));
      careless.write(tx -> tx.create("Task", 2).set("Task", 2, "text", Value.of("after")));
      careless.connect();

      await().atMost(PATIENCE).until(() -> refused.size() == 1);
      assertThat(refused.get(0).code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION.code());
      assertThat(refused.get(0).changeset().clientVersion()).isEqualTo(2);

      careless.write(tx -> tx.create("Task", 3).set("Task", 3, "text", Value.of("later")));
      assertThat(careless.awaitSynced(PATIENCE)).isTrue();
      assertThat(other.awaitSynced(PATIENCE)).isTrue();
      await().atMost(PATIENCE).until(() -> other.objects().keySet().size() == 3);
      assertThat(other.objects()).containsOnlyKeys(task(1), task(2), task(3));
      assertThat(careless.objects()).isEqualTo(other.objects());
      assertThat(careless.pendingCount()).isZero();
      assertThat(careless.connectionState()).isEqualTo(SyncClient.ConnectionState.CONNECTED);
    }
  }

  @Test
  void aClientWithTheModelRefusesTheWriteItselfAndNothingIsApplied() throws Exception {
    try (SyncClient careful = client(Main.loadModel(Fixtures.exampleModel()))) {
      assertThatThrownBy(() -> careful.write(tx -> tx.create("Task", 0)))
          .isInstanceOf(SchemaViolation.class);
      assertThat(careful.objects()).isEmpty();
      assertThat(careful.lastClientVersion()).isZero();
      careful.write(tx -> tx.create("Task", 1));
      assertThat(careful.awaitSynced(PATIENCE)).isTrue();
      assertThat(careful.errors()).isEmpty();
    }
  }

  private SyncClient client(io.tributary.core.model.Model model) {
    SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "refusals", model);
    client.connect().join();
    return client;
  }

  private static ObjectKey task(long id) {
    return new ObjectKey("Task", id);
  }
}

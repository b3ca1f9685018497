package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.StateJson;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.States;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients talking to a whole server over real WebSockets, Kafka and RocksDB. */
class EndToEndTest {

  private static final String DATASET = "tasks";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension final RunningServer server = new RunningServer();
  private final List<SyncClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(SyncClient::close);
  }

  @Test
  void aChangeOnOneClientReachesTheOther() {
    SyncClient alice = connected();
    SyncClient bob = connected();

    alice.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("buy milk")));

    await().atMost(PATIENCE).until(() -> bob.objects().containsKey(task(1)));
    assertThat(bob.objects().get(task(1))).containsEntry("text", Value.of("buy milk"));
    awaitConverged(alice, bob);
  }

  @Test
  void concurrentUpdatesOfOnePropertyEndWithTheSameValueEverywhere() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    shareThenGoOffline(
        alice, bob, tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("draft")));
    alice.write(tx -> tx.set("Task", 1, "text", Value.of("from alice")));
    bob.write(tx -> tx.set("Task", 1, "text", Value.of("from bob")));
    alice.connect().join();
    bob.connect().join();

    awaitConverged(alice, bob);
    assertThat(alice.objects().get(task(1)).get("text"))
        .isIn(Value.of("from alice"), Value.of("from bob"));
  }

  @Test
  void anErasedObjectStaysErasedAgainstAConcurrentUpdate() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    shareThenGoOffline(
        alice, bob, tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("draft")));
    alice.write(tx -> tx.erase("Task", 1));
    bob.write(tx -> tx.set("Task", 1, "text", Value.of("still wanted")));
    bob.connect().join(); // The update reaches the server first, the erase still wins.
    await().atMost(PATIENCE).until(() -> bob.pendingCount() == 0);
    alice.connect().join();

    awaitConverged(alice, bob);
    assertThat(alice.objects()).doesNotContainKey(task(1));
  }

  @Test
  void concurrentIncrementsOfACounterAllCount() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    shareThenGoOffline(
        alice, bob, tx -> tx.create("Task", 1).set("Task", 1, "priority", Value.of(0L)));
    for (int i = 0; i < 10; i++) {
      alice.write(tx -> tx.add("Task", 1, "priority", 1));
      bob.write(tx -> tx.add("Task", 1, "priority", 2));
    }
    alice.connect().join();
    bob.connect().join();

    awaitConverged(alice, bob);
    assertThat(alice.objects().get(task(1))).containsEntry("priority", Value.of(30L));
  }

  @Test
  void relationLinksMadeConcurrentlyAreAllKept() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    shareThenGoOffline(alice, bob, tx -> tx.create("Task", 1).link("Task", 1, "tags", 5));
    alice.write(tx -> tx.link("Task", 1, "tags", 6));
    bob.write(tx -> tx.link("Task", 1, "tags", 7).unlink("Task", 1, "tags", 5));
    alice.connect().join();
    bob.connect().join();

    awaitConverged(alice, bob);
    assertThat(alice.objects().get(task(1))).containsEntry("tags", Value.ids(List.of(6L, 7L)));
  }

  @Test
  void concurrentListEditsKeepEveryonesElements() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    shareThenGoOffline(
        alice,
        bob,
        tx ->
            tx.create("Task", 1)
                .set("Task", 1, "checklist", new Value.Vector(List.of(Value.of("eggs")))));
    alice.write(tx -> tx.insertAt("Task", 1, "checklist", 1, Value.of("milk")));
    alice.write(tx -> tx.setAt("Task", 1, "checklist", 1, Value.of("oat milk")));
    bob.write(tx -> tx.insertAt("Task", 1, "checklist", 0, Value.of("bread")));
    bob.write(tx -> tx.move("Task", 1, "checklist", 1, 0));
    alice.connect().join();
    bob.connect().join();

    awaitConverged(alice, bob);
    assertThat(alice.objects().get(task(1)))
        .containsEntry(
            "checklist",
            new Value.Vector(List.of(Value.of("eggs"), Value.of("bread"), Value.of("oat milk"))));
  }

  @Test
  void aListIndexPastTheEndIsRefusedLocally() {
    SyncClient alice = connected();
    alice.write(tx -> tx.create("Task", 1));

    assertThatThrownBy(
            () -> alice.write(tx -> tx.setAt("Task", 1, "checklist", 0, Value.of("nothing"))))
        .isInstanceOf(io.tributary.core.state.ListIndexOutOfRangeException.class);
    assertThat(alice.objects().get(task(1))).doesNotContainKey("checklist");
  }

  @Test
  void aClientThatWasAwayCatchesUpOnAThousandChanges() {
    SyncClient alice = connected();
    SyncClient bob = connected();
    alice.write(tx -> tx.create("Task", 1));
    await().atMost(PATIENCE).until(() -> bob.objects().containsKey(task(1)));

    bob.disconnect();
    for (int i = 0; i < 1_000; i++) {
      long id = 2 + i % 100;
      int n = i;
      alice.write(tx -> tx.create("Task", id).set("Task", id, "priority", Value.of((long) n)));
    }
    await().atMost(PATIENCE).until(() -> alice.pendingCount() == 0);
    bob.connect().join();

    awaitConverged(alice, bob);
    assertThat(bob.objects()).hasSize(101);
  }

  @Test
  void reUploadedChangesetsCreateNoDuplicateHistory() {
    SyncClient alice = connected();
    for (int i = 1; i <= 5; i++) {
      long id = i;
      alice.write(tx -> tx.create("Task", id));
    }
    await().atMost(PATIENCE).until(() -> alice.pendingCount() == 0);
    long head = probe().head(DATASET);

    // Reconnecting re-sends nothing new; a raw re-upload of integrated changesets is dropped.
    alice.disconnect();
    alice.write(tx -> tx.create("Task", 6));
    alice.connect().join();
    await().atMost(PATIENCE).until(() -> alice.pendingCount() == 0);

    assertThat(probe().head(DATASET)).isEqualTo(head + 1);
  }

  /** Alice writes {@code shared}; once Bob has it, both go offline. */
  private static void shareThenGoOffline(
      SyncClient alice,
      SyncClient bob,
      java.util.function.Consumer<io.tributary.client.Transaction> shared) {
    alice.write(shared);
    await().atMost(PATIENCE).until(() -> bob.objects().containsKey(task(1)));
    alice.disconnect();
    bob.disconnect();
  }

  private SyncClient connected() {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), DATASET);
    clients.add(client);
    client.connect().join();
    await().atMost(PATIENCE).until(() -> client.clientIdent() != 0);
    return client;
  }

  private ReadApiProbe probe() {
    return new ReadApiProbe(server.readApiPort());
  }

  /** Everyone quiet and equal: every client's objects equal the materializer's. */
  private void awaitConverged(SyncClient... replicas) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              for (SyncClient replica : replicas) {
                assertThat(replica.pendingCount()).isZero();
                assertThat(States.flatten(StateJson.of(replica.objects())))
                    .containsExactlyInAnyOrderEntriesOf(States.flatten(probe().objects(DATASET)));
              }
            });
  }

  private static ObjectKey task(long id) {
    return new ObjectKey("Task", id);
  }
}

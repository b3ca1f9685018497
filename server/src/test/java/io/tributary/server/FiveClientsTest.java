package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.States;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Five clients write at random and go offline and online at random, against a real server. At the
 * end every client holds the server's state, and every local write was integrated exactly once:
 * each write adds 1 to a shared counter, which ends at the number of writes.
 */
class FiveClientsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ObjectKey COUNTER = new ObjectKey("Task", 1);

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void clientsGoingOfflineAndOnlineAtRandomEndEqualWithEveryWriteOnce() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("FiveClientsTest seed=" + seed);
    Random random = new Random(seed);
    List<SyncClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "five");
      clients.add(client);
      client.connect().join();
    }
    try {
      clients.get(0).write(tx -> tx.create("Task", 1));
      assertThat(clients.get(0).awaitSynced(PATIENCE)).isTrue();
      for (SyncClient client : clients) {
        assertThat(client.awaitSynced(PATIENCE)).isTrue(); // Everyone has the counter.
      }
      int writes = 0;
      for (int step = 0; step < 600; step++) {
        SyncClient client = clients.get(random.nextInt(clients.size()));
        int action = random.nextInt(20);
        if (action == 0) {
          client.disconnect();
        } else if (action == 1) {
          client.connect();
        } else {
          write(client, random);
          writes++;
        }
      }
      for (SyncClient client : clients) {
        client.connect();
      }
      for (SyncClient client : clients) {
        assertThat(client.awaitSynced(PATIENCE))
            .as("seed %d, errors %s, state %s", seed, client.errors(), client.connectionState())
            .isTrue();
      }
      // A second round: what others uploaded last reaches everyone.
      for (SyncClient client : clients) {
        assertThat(client.awaitSynced(PATIENCE)).as("seed %d", seed).isTrue();
      }

      var server = States.flatten(new ReadApiProbe(this.server.readApiPort()).objects("five"));
      for (SyncClient client : clients) {
        assertThat(States.flatten(io.tributary.core.state.StateJson.of(client.objects())))
            .as("seed %d", seed)
            .isEqualTo(server);
      }
      assertThat(clients.get(0).objects().get(COUNTER))
          .as("every write counted once, seed %d", seed)
          .containsEntry("priority", Value.of((long) writes));
    } finally {
      clients.forEach(SyncClient::close);
    }
  }

  /** One transaction: count it, and change shared objects so that writes conflict. */
  private static void write(SyncClient client, Random random) {
    long id = 2 + random.nextInt(8);
    int kind = random.nextInt(4);
    String text = "text " + random.nextInt(1000);
    client.write(
        tx -> {
          tx.add("Task", 1, "priority", 1);
          switch (kind) {
            case 0 -> tx.create("Task", id).set("Task", id, "text", Value.of(text));
            case 1 -> tx.erase("Task", id);
            case 2 -> tx.create("Task", id).link("Task", id, "tags", 1 + id % 3);
            default -> tx.create("Task", id).set("Task", id, "done", Value.of(true));
          }
        });
  }
}

package io.tributary.server;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A client app in its own process, for crash tests: opens a persistent client, connects, writes
 * {@code count} tasks (printing "committed N" after each), then waits until everything is uploaded
 * and acknowledged and prints "synced".
 *
 * <p>Arguments: server URI, dataset, client directory, count.
 */
public final class ClientWriterProcess {

  public static void main(String[] args) {
    URI server = URI.create(args[0]);
    String dataset = args[1];
    Path directory = Path.of(args[2]);
    int count = Integer.parseInt(args[3]);
    try (SyncClient client = SyncClient.persistent(server, dataset, null, directory)) {
      client.connect().join();
      for (int i = 0; i < count; i++) {
        long id = client.lastClientVersion() + 1;
        long version =
            client.write(
                tx -> tx.create("Task", id).set("Task", id, "text", Value.of("task " + id)));
        System.out.println("committed " + version);
        System.out.flush();
      }
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> client.clientIdent() != 0 && client.pendingCount() == 0);
      System.out.println("synced " + client.lastClientVersion());
      System.out.flush();
    }
    System.exit(0);
  }

  private ClientWriterProcess() {}
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tributary.client.SyncClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** At INFO, the log does not grow with the number of clients: 20 clients come, sync and go. */
class LogVolumeTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void clientsThatComeSyncAndGoLogNothingAtInfo() throws Exception {
    List<SyncClient> clients = new ArrayList<>();
    try (LogCapture log = new LogCapture("io.tributary")) {
      for (int i = 0; i < 20; i++) {
        SyncClient client =
            new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks-" + (i % 4));
        clients.add(client);
        client.connect().join();
        long id = i + 1;
        client.write(tx -> tx.create("Task", id));
      }
      for (SyncClient client : clients) {
        assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
        client.close();
      }

      // The sequencer's "Took over" lines (one per partition, as it starts) are bounded by the
      // partition count, not by clients.
      assertThat(log.messages(Level.INFO)).allMatch(message -> message.startsWith("Took over "));
    }
  }
}

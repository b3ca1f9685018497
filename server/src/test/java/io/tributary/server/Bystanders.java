package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Two SDK clients of one dataset, next to a misbehaving client: one writes, the other must see
 * every write, while the misbehaviour goes on.
 */
final class Bystanders implements AutoCloseable {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final SyncClient writer;
  private final SyncClient reader;
  private long written;

  Bystanders(int port) {
    writer = client(port);
    reader = client(port);
  }

  private static SyncClient client(int port) {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + port), "bystand");
    client.connect().join();
    return client;
  }

  /** Writes at least once, and on while {@code busy} holds; the reader must keep up. */
  void syncWhile(BooleanSupplier busy) {
    do {
      long id = ++written;
      writer.write(tx -> tx.create("Task", id).set("Task", id, "text", Value.of("t" + id)));
      await().atMost(PATIENCE).until(() -> reader.get(new ObjectKey("Task", id)).isPresent());
    } while (busy.getAsBoolean() && written < 200);
  }

  void assertInSync() throws InterruptedException {
    assertThat(writer.awaitSynced(PATIENCE)).isTrue();
    assertThat(reader.awaitSynced(PATIENCE)).isTrue();
    assertThat(reader.objects()).isEqualTo(writer.objects());
    assertThat(writer.errors()).isEmpty();
  }

  @Override
  public void close() {
    writer.close();
    reader.close();
  }
}

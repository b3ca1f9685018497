package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose stack (Kafka, two gateways, two sequencers, two materializers) built from this
 * repository: a client on each gateway, one dataset. Needs a Docker engine; skipped without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

  @Container
  static final ComposeContainer STACK =
      new ComposeContainer(composeFile())
          .withBuild(true)
          .withExposedService("gateway-1", 9999, Wait.forListeningPort())
          .withExposedService("gateway-2", 9999, Wait.forListeningPort())
          .withStartupTimeout(Duration.ofMinutes(15));

  @Test
  void clientsOnBothGatewaysSync() {
    SyncClient alice = client("gateway-1");
    SyncClient bob = client("gateway-2");
    alice.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("through compose")));

    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> bob.objects().containsKey(new ObjectKey("Task", 1)));
    assertThat(bob.objects().get(new ObjectKey("Task", 1)))
        .containsEntry("text", Value.of("through compose"));
    alice.close();
    bob.close();
  }

  private static SyncClient client(String gateway) {
    String host = STACK.getServiceHost(gateway, 9999);
    int port = STACK.getServicePort(gateway, 9999);
    SyncClient client = new SyncClient(URI.create("ws://" + host + ":" + port), "compose");
    client.connect().join();
    return client;
  }

  private static File composeFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("compose.yaml"))) {
        return dir.resolve("compose.yaml").toFile();
      }
    }
    throw new IllegalStateException("compose.yaml not found");
  }
}

package io.tributary.testkit;

import io.tributary.broker.EmbeddedKafkaBroker;
import io.tributary.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One real Kafka broker per test JVM, started on first use in a temporary directory. Tests keep
 * apart by using their own topics ({@link #freshTopics}).
 */
public final class TestKafka {

  private static EmbeddedKafkaBroker broker;

  private TestKafka() {}

  public static synchronized String bootstrap() {
    if (broker == null) {
      Path directory;
      try {
        directory = Files.createTempDirectory("tributary-test-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      broker = new EmbeddedKafkaBroker(directory, 0).start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    }
    return broker.bootstrapServers();
  }

  /** New, empty topics with a unique prefix and {@code partitions} partitions. */
  public static Topics freshTopics(int partitions) {
    return created(
        new Topics("test-" + UUID.randomUUID().toString().substring(0, 8), partitions, (short) 1));
  }

  /** The same, with the change events topic compacted. */
  public static Topics freshTopicsWithCompactedChanges(int partitions) {
    return created(
        new Topics("test-" + UUID.randomUUID().toString().substring(0, 8), partitions, (short) 1)
            .withCompactChanges(true));
  }

  private static Topics created(Topics topics) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      topics.create(admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return topics;
  }
}

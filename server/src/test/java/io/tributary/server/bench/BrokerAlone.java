package io.tributary.server.bench;

import io.tributary.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker, with the server's settings, in a JVM of its own: to measure what the broker
 * costs and suffers sharing the server's JVM (its GC, its JIT), with {@code ./sync-server
 * --kafka-bootstrap} pointed at it.
 *
 * <pre>BrokerAlone directory port</pre>
 */
public final class BrokerAlone {

  private BrokerAlone() {}

  public static void main(String[] args) throws Exception {
    try (EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1])).start()) {
      System.out.println("broker alone on " + broker.bootstrapServers());
      new CountDownLatch(1).await(); // Until the process is stopped.
    }
  }
}

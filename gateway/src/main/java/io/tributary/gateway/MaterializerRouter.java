package io.tributary.gateway;

import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.TailingConsumer;
import io.tributary.kafka.Topics;
import io.tributary.schemas.MaterializerRoutes;
import io.tributary.schemas.codec.AvroTrust;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the materializer that serves a dataset by following the routes the materializer group
 * writes each time it divides the history partitions ({@link Topics#materializerRoutes()}), so that
 * gateways need no list of materializers and follow every reassignment.
 */
final class MaterializerRouter implements ReadApiRoute, AutoCloseable {

  static {
    AvroTrust.ensure();
  }

  private static final Logger LOG = LoggerFactory.getLogger(MaterializerRouter.class);

  /**
   * A record of an older generation than the one followed is a late write of a plan already
   * replaced, unless it comes this much later: then the group itself started again (a group that
   * was deleted counts its generations from 1).
   */
  static final long GENERATION_RESET_MILLIS = 60_000;

  /** The routes of one generation, and when they were written. */
  private record Routes(int generation, long writtenAt, List<URI> owners) {
    static final Routes NONE = new Routes(-1, 0, List.of());

    boolean replacedBy(Routes next) {
      return next.generation >= generation || next.writtenAt - writtenAt > GENERATION_RESET_MILLIS;
    }
  }

  /** How long a gateway waits for routes before it says so in its log. */
  private static final long NO_ROUTES_WARNING = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private final Topics topics;
  private final String bootstrap;
  private final String name;
  private final RoleThread thread;
  private volatile Routes routes = Routes.NONE;

  MaterializerRouter(String bootstrap, Topics topics, String name) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.name = name;
    this.thread = new RoleThread(name, LOG, "reading the materializer routes again", this::follow);
  }

  MaterializerRouter start() {
    thread.start();
    return this;
  }

  @Override
  public Optional<URI> of(String dataset) {
    List<URI> owners = routes.owners();
    int partition = topics.partitionOf(dataset);
    return partition < owners.size()
        ? Optional.ofNullable(owners.get(partition))
        : Optional.empty();
  }

  private void follow() {
    TopicPartition partition = new TopicPartition(topics.materializerRoutes(), 0);
    try (KafkaConsumer<String, byte[]> consumer = new TailingConsumer(bootstrap, name)) {
      thread.wakeOnClose(consumer);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long since = System.nanoTime();
      boolean warned = false;
      while (thread.running()) {
        consumer.poll(KafkaSettings.IDLE_POLL).forEach(this::adopt);
        if (!warned && routes == Routes.NONE && System.nanoTime() - since > NO_ROUTES_WARNING) {
          warned = true;
          LOG.warn(
              "No materializer has written routes to {} yet: sessions get \"try again\" until one"
                  + " does. Materializers write them when they run as sync-server materializer;"
                  + " for a single materializer that serves everything, give --materializer-url",
              topics.materializerRoutes());
        }
      }
    }
  }

  private void adopt(ConsumerRecord<String, byte[]> record) {
    Routes next;
    try {
      MaterializerRoutes decoded = MaterializerRoutes.getDecoder().decode(record.value());
      next =
          new Routes(
              decoded.getGeneration(),
              record.timestamp(),
              decoded.getOwners().stream().map(URI::create).toList());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipping undecodable materializer routes at offset {}: {}", record.offset(), e);
      return;
    }
    if (routes.replacedBy(next)) {
      if (next.generation() != routes.generation()) {
        LOG.info("Materializer routes of generation {}: {}", next.generation(), next.owners());
      }
      routes = next;
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.close();
  }
}

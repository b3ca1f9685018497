package io.tributary.gateway;

import io.tributary.kafka.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The gateway role: terminates client WebSockets, publishes their requests to the uploads topic and
 * pushes what the downloads topic carries to the sessions bound to each dataset. Stateless: any
 * number of gateways can serve the same datasets.
 */
public final class Gateway implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final Vertx vertx;
  private final String gatewayId = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
  private final SessionRegistry registry;
  private final CurrentSchema schema;
  private GatewayMetrics metrics;
  private volatile boolean deployed;
  private AutoCloseable schemaFollower;
  private Producer<String, byte[]> producer;
  private DownloadsListener downloads;
  private SyncVerticle verticle;

  public Gateway(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.schema =
        new CurrentSchema(new SchemaVersions.Version(0, config.model(), config.renames()));
    this.registry = new SessionRegistry(gatewayId, schema);
  }

  /** Starts listening; completes once the WebSocket port is open. */
  public Future<Gateway> start() {
    producer = new KafkaProducer<>(KafkaSettings.producer(config.bootstrap(), gatewayId));
    try {
      downloads =
          new DownloadsListener(
                  config.bootstrap(), gatewayId + "-downloads", config.topics(), registry::dispatch)
              .start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Future.failedFuture(e);
    }
    metrics = new GatewayMetrics(gatewayId, registry);
    GatewayServices services =
        new GatewayServices(
            registry,
            new Uploads(producer, config.topics()),
            new ReadApiClient(vertx, config.materializerUrl()),
            schema,
            config.authenticator(),
            config.connections(),
            metrics);
    verticle =
        new SyncVerticle(config.host(), config.port(), config.tls(), services, new AtomicLong());
    return vertx
        .deployVerticle(verticle)
        .map(
            ignored -> {
              deployed = true;
              return this;
            });
  }

  /**
   * Adopts every schema version newer than {@code current} (the one its configuration holds) that
   * another gateway of the cluster inserts, while this one runs.
   */
  public Gateway followSchemaVersions(SchemaVersions.Version current) {
    schema.adopt(current);
    schemaFollower =
        new SchemaVersions(config.bootstrap(), config.topics())
            .follow(
                gatewayId + "-schemas",
                version -> {
                  if (schema.adopt(version)) {
                    LOG.info("Switching schema version ID to {}", version.number());
                  }
                });
    return this;
  }

  /** The schema version uploads are validated against; 0 if it does not follow the versions. */
  public int schemaVersion() {
    return schema.number();
  }

  /** The schema version uploads are validated against, with its model and names. */
  public SchemaVersions.Version currentSchema() {
    return schema.version();
  }

  /** Open client connections and bound sessions, for status pages. */
  public int connectionCount() {
    return metrics.connections();
  }

  /** The port the sync WebSocket listens on. */
  public int port() {
    return verticle.actualPort();
  }

  public String id() {
    return gatewayId;
  }

  public int sessionCount() {
    return registry.sessionCount();
  }

  @Override
  public void close() throws InterruptedException {
    if (schemaFollower != null) {
      try {
        schemaFollower.close();
      } catch (Exception e) {
        LOG.warn("Error while stopping the schema follower: {}", e.toString());
      }
    }
    if (deployed) {
      deployed = false; // Closing twice undeploys once.
      vertx.undeploy(verticle.deploymentID()).await();
    }
    if (downloads != null) {
      downloads.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (producer != null) {
      producer.close();
    }
  }
}

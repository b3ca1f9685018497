package io.tributary.gateway;

import io.tributary.core.auth.Admission;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.SchemaVersions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

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
  private AutoCloseable schemaFollower;
  private Producer<String, byte[]> producer;
  private DownloadsListener downloads;
  private MaterializerRouter router;
  private ReadApiRoute route;
  private volatile HttpServer backendServer;
  private BackendCommands commands;

  /**
   * WebSockets are served by one event loop per core: the sessions of a connection stay on its
   * loop, and connections are spread over the loops as they come.
   */
  static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final List<SyncVerticle> verticles = new ArrayList<>();

  /** What close() undeploys: every instance that did deploy, even if another failed. */
  private final List<String> deployments = new CopyOnWriteArrayList<>();

  public Gateway(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.schema =
        new CurrentSchema(new SchemaVersions.Version(0, config.model(), config.renames()));
    this.registry = new SessionRegistry(gatewayId, schema);
  }

  /** Starts listening; completes once the WebSocket port is open. */
  public Future<Gateway> start() {
    producer = new KafkaProducer<>(producerSettings());
    // The topic's metadata now, so that no event loop ever waits for it on a first send.
    producer.partitionsFor(config.topics().uploads());
    metrics = new GatewayMetrics(gatewayId, registry);
    try {
      downloads =
          new DownloadsListener(
                  config.bootstrap(),
                  gatewayId + "-downloads",
                  config.topics(),
                  registry,
                  metrics::downloadArrived)
              .start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Future.failedFuture(e);
    }
    if (config.materializerUrl() == null) {
      router = new MaterializerRouter(config.bootstrap(), config.topics(), gatewayId + "-routes");
      route = router.start();
    } else {
      route = ReadApiRoute.fixed(config.materializerUrl());
    }
    GatewayServices services =
        new GatewayServices(
            registry,
            new Uploads(producer, config.topics()),
            new ReadApiClient(vertx, route),
            schema,
            config.admission(),
            config.connections(),
            new ConnectionCounts(config.connections().quotas()),
            metrics);
    AtomicLong connectionIds = new AtomicLong();
    AtomicInteger handshakes = new AtomicInteger();
    // Every instance asks for the same address, so that Vert.x binds once and shares it. Port 0
    // would give each its own port: a negative port is Vert.x's random port shared by all.
    int port = config.port() == 0 ? -1 : config.port();
    List<Future<String>> deployed = new ArrayList<>();
    for (int i = 0; i < EVENT_LOOPS; i++) {
      SyncVerticle verticle =
          new SyncVerticle(
              config.host(), port, config.tls(), services, connectionIds, handshakes, EVENT_LOOPS);
      verticles.add(verticle);
      deployed.add(vertx.deployVerticle(verticle).onSuccess(deployments::add));
    }
    return Future.all(deployed).map(ignored -> this);
  }

  /**
   * The roles' producer, except that a send gives up after a second instead of a minute when the
   * producer's buffer is full or the broker is out of reach: sends run on event loops, which must
   * not stall. A send that gives up ends its session with ERROR 103 (try again).
   */
  private Properties producerSettings() {
    Properties settings = KafkaSettings.producer(config.bootstrap(), gatewayId);
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    return settings;
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

  /**
   * Starts the backend API ({@link BackendApi}) on its own port, for whom {@code admission} lets
   * in; completes with the port it listens on.
   */
  public Future<Integer> startBackendApi(String host, int port, Admission admission) {
    BackendWrites writes =
        new BackendWrites(
            vertx,
            gatewayId,
            new Uploads(producer, config.topics()),
            registry.backendReplies(),
            schema);
    commands =
        new BackendCommands(
                vertx, config.bootstrap(), config.topics(), gatewayId + "-commands", writes)
            .start();
    BackendApi api = new BackendApi(vertx, writes, admission, route);
    return api.listen(host, port)
        .map(
            server -> {
              backendServer = server;
              return server.actualPort();
            });
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

  /**
   * The open connections, oldest first, at most {@code limit}: each read on its own event loop (one
   * that does not answer within 5 s is left out).
   */
  public java.util.List<ClientSummary> clients(int limit) {
    java.util.List<java.util.concurrent.CompletableFuture<ClientSummary>> asked =
        registry.connections().values().stream()
            .filter(Connection.class::isInstance)
            .map(Connection.class::cast)
            .sorted(java.util.Comparator.comparingLong(Connection::connectionId))
            .limit(limit)
            .map(Connection::describe)
            .toList();
    java.util.List<ClientSummary> clients = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    for (java.util.concurrent.CompletableFuture<ClientSummary> summary : asked) {
      try {
        // One deadline for the whole list: busy event loops cost 5 s in all, not 5 s each.
        long left = Math.max(0, deadline - System.nanoTime());
        clients.add(summary.get(left, java.util.concurrent.TimeUnit.NANOSECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Busy or gone: the list shows the others.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return clients;
  }

  /** Closes connection {@code id} as an operator asked; false if it is not open here. */
  public boolean disconnect(long id) {
    SessionRegistry.Sessions connection = registry.connections().get(id);
    if (!(connection instanceof Connection open)) {
      return false;
    }
    open.closeByOperator();
    return true;
  }

  /** The port the sync WebSocket listens on. */
  public int port() {
    return verticles.get(0).actualPort();
  }

  public String id() {
    return gatewayId;
  }

  public int sessionCount() {
    return registry.sessionCount();
  }

  @Override
  public void close() throws InterruptedException {
    HttpServer backend = backendServer;
    if (backend != null) {
      backendServer = null;
      backend.close().await();
    }
    if (commands != null) {
      commands.close();
      commands = null;
    }
    if (schemaFollower != null) {
      try {
        schemaFollower.close();
      } catch (Exception e) {
        LOG.warn("Error while stopping the schema follower: {}", e.toString());
      }
    }
    for (String deployment : deployments) {
      deployments.remove(deployment); // Closing twice undeploys once.
      vertx.undeploy(deployment).await();
    }
    if (downloads != null) {
      downloads.close();
    }
    if (router != null) {
      router.close();
      router = null;
    }
    if (metrics != null) {
      metrics.close();
    }
    if (producer != null) {
      producer.close();
    }
  }
}

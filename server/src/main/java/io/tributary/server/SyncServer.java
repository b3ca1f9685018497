package io.tributary.server;

import io.tributary.broker.EmbeddedKafkaBroker;
import io.tributary.core.auth.Admission;
import io.tributary.core.model.Model;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.gateway.Gateway;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.StartingAnswer;
import io.tributary.gateway.TlsFiles;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import io.tributary.materializer.MaterializerConfig;
import io.tributary.materializer.MaterializerService;
import io.tributary.materializer.ReadApi;
import io.tributary.materializer.RocksStore;
import io.tributary.sequencer.SequencerConfig;
import io.tributary.sequencer.SequencerService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles of the sync server, wired in one place: all three in one process on an embedded broker
 * (the one-command server) or an existing cluster, or any one of them alone on a cluster.
 */
public final class SyncServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("SyncServer");

  /** A role of the server; a process runs one, or all three. */
  public enum Role {
    GATEWAY,
    SEQUENCER,
    MATERIALIZER
  }

  /**
   * @param dataDirectory holds the embedded broker's logs and the materializer's store
   * @param model the model a gateway validates against; null for the other roles alone
   * @param kafkaBootstrap an existing cluster, or null for the embedded broker (all roles only)
   * @param connections how long a client connection may take and hold what
   * @param admission who may connect, and bind which datasets how
   * @param tls certificate and key for {@code wss://}, or null for plain {@code ws://}
   * @param materializerUrl a gateway alone: the read API of a materializer that serves every
   *     dataset; null to follow the routes of the materializer group (or, with every role, to read
   *     from this process's materializer)
   * @param readApiHost where the read API listens ({@code 127.0.0.1} and port 0 for the server)
   * @param sequencer how long Kafka waits for a silent sequencer, and how often it checkpoints
   */
  /** Where the backend API listens (port 0: a free one), and whom it lets in. */
  public record BackendApiOptions(String host, int port, Admission admission) {}

  /**
   * A materializer alone, in its deployment's group.
   *
   * @param readApiUrl how gateways reach its read API; null: its listening address (with the
   *     machine's name for a wildcard address)
   */
  public record MaterializerGroupOptions(MaterializerConfig.Group group, String readApiUrl) {}

  /**
   * The sequencer's tuning.
   *
   * @param sessionTimeout how long Kafka waits for a silent sequencer before its partitions move
   * @param checkpointEvery history records between two checkpoints of a partition
   */
  public record SequencerOptions(java.time.Duration sessionTimeout, long checkpointEvery) {
    public static final SequencerOptions DEFAULTS =
        new SequencerOptions(
            SequencerConfig.DEFAULT_SESSION_TIMEOUT, SequencerConfig.DEFAULT_CHECKPOINT_EVERY);
  }

  public record Options(
      Path dataDirectory,
      Model model,
      String host,
      int port,
      String kafkaBootstrap,
      Topics topics,
      ConnectionPolicy connections,
      Admission admission,
      TlsFiles tls,
      String materializerUrl,
      String readApiHost,
      int readApiPort,
      SequencerOptions sequencer,
      boolean changeEvents,
      BackendApiOptions backendApi,
      MaterializerGroupOptions materializerGroup) {

    /** The one-command server, without TLS. */
    public Options(
        Path dataDirectory,
        Model model,
        String host,
        int port,
        String kafkaBootstrap,
        Topics topics,
        java.time.Duration idleTimeout,
        Admission admission) {
      this(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          ConnectionPolicy.DEFAULTS.withIdleTimeout(idleTimeout),
          admission,
          null,
          null,
          "127.0.0.1",
          0,
          SequencerOptions.DEFAULTS,
          false,
          null,
          null);
    }

    /** The one-command server without authentication, with the default connection policy. */
    public Options(
        Path dataDirectory,
        Model model,
        String host,
        int port,
        String kafkaBootstrap,
        Topics topics) {
      this(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          GatewayConfig.DEFAULT_IDLE_TIMEOUT,
          Admission.UNSECURED);
    }

    public Options withTls(TlsFiles files) {
      return new Options(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          connections,
          admission,
          files,
          materializerUrl,
          readApiHost,
          readApiPort,
          sequencer,
          changeEvents,
          backendApi,
          materializerGroup);
    }

    /** Whether the materializer publishes change events (off by default). */
    public Options withChangeEvents(boolean on) {
      return new Options(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          connections,
          admission,
          tls,
          materializerUrl,
          readApiHost,
          readApiPort,
          sequencer,
          on,
          backendApi,
          materializerGroup);
    }

    /** The backend API's address and who it lets in; null: none. */
    public Options withBackendApi(BackendApiOptions api) {
      return new Options(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          connections,
          admission,
          tls,
          materializerUrl,
          readApiHost,
          readApiPort,
          sequencer,
          changeEvents,
          api,
          materializerGroup);
    }

    /** The sequencer's session timeout and how often it checkpoints. */
    public Options withSequencer(SequencerOptions tuning) {
      return new Options(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          connections,
          admission,
          tls,
          materializerUrl,
          readApiHost,
          readApiPort,
          tuning,
          changeEvents,
          backendApi,
          materializerGroup);
    }

    public Options withConnections(ConnectionPolicy policy) {
      return new Options(
          dataDirectory,
          model,
          host,
          port,
          kafkaBootstrap,
          topics,
          policy,
          admission,
          tls,
          materializerUrl,
          readApiHost,
          readApiPort,
          sequencer,
          changeEvents,
          backendApi,
          materializerGroup);
    }
  }

  private final Options options;
  private final Set<Role> roles;
  private final Vertx vertx = Vertx.vertx();
  private EmbeddedKafkaBroker broker;
  private RocksStore store;
  private int backendApiPort;
  private MaterializerService materializer;
  private HttpServer readApi;
  private SequencerService sequencer;
  private Gateway gateway;
  private StartingAnswer starting;
  private String bootstrap;
  private volatile boolean ready;
  private SchemaVersions.Version schema;

  private SyncServer(Options options, Set<Role> roles) {
    this.options = options;
    this.roles = Set.copyOf(roles);
  }

  /** Starts the one-command server: every role; if one fails, stops what was started and throws. */
  public static SyncServer start(Options options) {
    return start(options, EnumSet.allOf(Role.class));
  }

  /** Starts {@code roles}; if one fails, stops what was started and throws. */
  public static SyncServer start(Options options, Set<Role> roles) {
    SyncServer server = new SyncServer(options, roles);
    try {
      server.startAll();
      server.ready = true;
      return server;
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  private void startAll() throws InterruptedException {
    answerWhileStarting();
    bootstrap = options.kafkaBootstrap();
    if (bootstrap == null) {
      if (!roles.containsAll(EnumSet.allOf(Role.class))) {
        throw new IllegalArgumentException(
            "a role alone needs an existing Kafka cluster: give --kafka-bootstrap");
      }
      requireWritable(options.dataDirectory());
      broker = new EmbeddedKafkaBroker(options.dataDirectory().resolve("kafka"), 0).start();
      bootstrap = broker.bootstrapServers();
      LOG.info("Embedded Kafka broker started on {}", bootstrap);
    }
    createTopics(
        bootstrap, options.topics(), roles.contains(Role.MATERIALIZER) && options.changeEvents());
    // Reading the schemas topic is mostly waiting on the broker: the other roles start meanwhile,
    // the sequencer first, whose takeovers are what clients wait for once the gateway listens.
    FutureTask<SchemaVersions.Version> selecting =
        new FutureTask<>(() -> selectSchema(bootstrap, options.topics(), options.model()));
    if (roles.contains(Role.GATEWAY)) {
      Thread thread = new Thread(selecting, "schema-select");
      thread.setDaemon(true); // a failed start does not wait for it
      thread.start();
    }
    if (roles.contains(Role.SEQUENCER)) {
      startSequencer();
    }
    if (roles.contains(Role.MATERIALIZER)) {
      startMaterializer();
    }
    if (roles.contains(Role.GATEWAY)) {
      schema = selected(selecting);
      startGateway();
    }
  }

  private void startSequencer() {
    SequencerConfig config =
        SequencerConfig.defaults(bootstrap)
            .withTopics(options.topics())
            .withSessionTimeout(options.sequencer().sessionTimeout())
            .withCheckpointEvery(options.sequencer().checkpointEvery());
    if (roles.containsAll(EnumSet.allOf(Role.class))) {
      // One server per data directory (the store's lock): after a kill -9 its sequencer takes
      // its own place in the group back at once rather than waiting out the dead one's session.
      requireWritable(options.dataDirectory());
      config = config.withGroupInstanceId("sequencer-" + instanceId(options.dataDirectory()));
    }
    sequencer = new SequencerService(config).start();
  }

  /** The schema version selection's result, its failure thrown as it was. */
  private static SchemaVersions.Version selected(FutureTask<SchemaVersions.Version> selecting)
      throws InterruptedException {
    try {
      return selecting.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** This data directory's id, made on its first start and kept in {@code instance-id}. */
  static String instanceId(java.nio.file.Path dataDirectory) {
    java.nio.file.Path file = dataDirectory.resolve("instance-id");
    try {
      if (java.nio.file.Files.exists(file)) {
        String id = java.nio.file.Files.readString(file).strip();
        if (!id.isEmpty()) {
          return id;
        }
      }
      String id = java.util.UUID.randomUUID().toString();
      java.nio.file.Files.writeString(file, id + "\n");
      return id;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot keep the instance id in " + file + ": " + e.getMessage(), e);
    }
  }

  private void startMaterializer() {
    requireWritable(options.dataDirectory());
    store = RocksStore.open(options.dataDirectory().resolve("materializer"));
    MaterializerGroupOptions grouped = options.materializerGroup();
    MaterializerConfig config =
        new MaterializerConfig(bootstrap, options.topics(), options.changeEvents());
    materializer =
        new MaterializerService(grouped == null ? config : config.inGroup(grouped.group()), store);
    readApi =
        ReadApi.start(
                vertx,
                store,
                materializer::currentSchema,
                materializer::serves,
                options.readApiHost(),
                options.readApiPort())
            .recover(
                failure ->
                    io.vertx.core.Future.failedFuture(
                        new IllegalStateException(
                            "Cannot listen for the read API on "
                                + options.readApiHost()
                                + ":"
                                + options.readApiPort()
                                + ": "
                                + failure.getMessage())))
            .await();
    if (grouped == null) {
      materializer.start();
    } else {
      String url =
          grouped.readApiUrl() != null
              ? grouped.readApiUrl()
              : advertised(options.readApiHost(), readApi.actualPort());
      LOG.info("Materializer joins its group as {}", url);
      String host = java.net.URI.create(url).getHost();
      if (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")) {
        LOG.warn(
            "The read API is announced as {}: gateways on other machines cannot reach it. Give"
                + " --read-api-url (and --read-api 0.0.0.0:<port>)",
            url);
      }
      materializer.start(url);
    }
  }

  /** How others reach a listening address: a wildcard one by this machine's name. */
  static String advertised(String host, int port) {
    String name = host;
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      try {
        name = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        name = "localhost";
      }
    }
    return "http://" + name + ":" + port;
  }

  /**
   * Until the gateway is ready, its port answers 503 with Retry-After (a client comes back in a
   * second instead of after its grown backoff). Not for a port chosen at random (0): the gateway
   * would get another one.
   */
  private void answerWhileStarting() {
    if (roles.contains(Role.GATEWAY) && options.port() != 0) {
      starting =
          StartingAnswer.listen(vertx, options.host(), options.port(), options.tls())
              .recover(failure -> io.vertx.core.Future.failedFuture(cannotListen(failure)))
              .await();
    }
  }

  private IllegalStateException cannotListen(Throwable failure) {
    return new IllegalStateException(
        "Cannot listen for sync on "
            + options.host()
            + ":"
            + options.port()
            + ": "
            + failure.getMessage());
  }

  /**
   * The gateway reads from its own process's materializer, from the one it was given, or else from
   * whichever the materializer group's routes name for each dataset (null).
   */
  private void startGateway() {
    String materializerUrl =
        readApi != null ? "http://127.0.0.1:" + readApi.actualPort() : options.materializerUrl();
    gateway =
        new Gateway(
            vertx,
            new GatewayConfig(
                bootstrap,
                options.topics(),
                options.host(),
                options.port(),
                materializerUrl,
                schema.model(),
                options.admission(),
                options.connections(),
                options.tls(),
                schema.renames()));
    // Assigned before it starts: if it cannot listen, close() still releases its Kafka clients.
    gateway
        .start()
        .recover(failure -> io.vertx.core.Future.failedFuture(cannotListen(failure)))
        .await()
        .followSchemaVersions(schema);
    if (starting != null) {
      // The gateway listens beside it (Vert.x shares the socket), so the port never closes.
      starting.close().await();
      starting = null;
    }
    BackendApiOptions api = options.backendApi();
    if (api != null) {
      backendApiPort =
          gateway
              .startBackendApi(api.host(), api.port(), api.admission())
              .recover(
                  failure ->
                      io.vertx.core.Future.failedFuture(
                          new IllegalStateException(
                              "Cannot listen for the backend API on "
                                  + api.host()
                                  + ":"
                                  + api.port()
                                  + ": "
                                  + failure.getMessage())))
              .await();
      LOG.info("Backend API listening on http://{}:{}", api.host(), backendApiPort);
    }
  }

  /** The port the backend API listens on; 0 if it does not run. */
  public int backendApiPort() {
    return backendApiPort;
  }

  /** Fails early, naming the directory, rather than deep inside the broker or RocksDB. */
  static void requireWritable(Path directory) {
    try {
      java.nio.file.Files.createDirectories(directory);
      Path probe = java.nio.file.Files.createTempFile(directory, ".write-check", "");
      java.nio.file.Files.delete(probe);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalStateException(
          "Cannot write to the database directory " + directory + ": permission denied");
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalStateException(
          "Cannot write to the database directory "
              + directory
              + ": "
              + e.getFile()
              + " is a file");
    } catch (java.nio.file.FileSystemException e) {
      throw new IllegalStateException(
          "Cannot write to the database directory "
              + directory
              + ": "
              + (e.getReason() == null ? e.getFile() : e.getReason()));
    } catch (java.io.IOException | SecurityException e) {
      throw new IllegalStateException(
          "Cannot write to the database directory " + directory + ": " + e.getMessage());
    }
  }

  /** Registers the model file's model; what the gateway validates against is the result. */
  static SchemaVersions.Version selectSchema(String bootstrap, Topics topics, Model model)
      throws InterruptedException {
    SchemaVersions.Version version = new SchemaVersions(bootstrap, topics).register(model);
    LOG.info("Starting the server with a schema version ID {}", version.number());
    return version;
  }

  /** The schema version selected at start. */
  public SchemaVersions.Version schemaVersion() {
    return schema;
  }

  /** The schema version the gateway validates uploads against now: it follows newer ones. */
  public int currentSchemaVersion() {
    return gateway.schemaVersion();
  }

  /** Creates the topics if they do not exist yet. */
  public static void createTopics(String bootstrap, Topics topics) throws InterruptedException {
    createTopics(bootstrap, topics, false);
  }

  /**
   * Creates the topics if they do not exist yet, the change events topic if {@code withChanges}.
   */
  public static void createTopics(String bootstrap, Topics topics, boolean withChanges)
      throws InterruptedException {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
      topics.create(admin, withChanges);
    }
  }

  /** Whether every part has started and none is stopping: what readiness probes ask. */
  public boolean ready() {
    return ready;
  }

  public int port() {
    return gateway.port();
  }

  public String kafkaBootstrap() {
    return bootstrap;
  }

  public int readApiPort() {
    return readApi.actualPort();
  }

  public Gateway gateway() {
    return gateway;
  }

  /** Who the sync port lets in. */
  public Admission syncAdmission() {
    return options.admission();
  }

  /** The roles this process runs. */
  public Set<Role> roles() {
    return roles;
  }

  public Topics topics() {
    return options.topics();
  }

  /** Whether the server runs its own broker rather than using an existing cluster. */
  public boolean embeddedBroker() {
    return broker != null;
  }

  public Path dataDirectory() {
    return options.dataDirectory();
  }

  public RocksStore store() {
    return store;
  }

  @Override
  public void close() {
    ready = false;
    if (starting != null) {
      closeQuietly(() -> starting.close().await(5, TimeUnit.SECONDS));
    }
    closeQuietly(gateway);
    closeQuietly(sequencer);
    if (readApi != null) {
      closeQuietly(() -> readApi.close().await(5, TimeUnit.SECONDS));
    }
    closeQuietly(materializer);
    closeQuietly(store);
    closeQuietly(() -> vertx.close().await(5, TimeUnit.SECONDS));
    closeQuietly(broker);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("Error while stopping {}: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }
}

package io.tributary.server;

import io.tributary.core.model.Model;
import io.tributary.core.model.ModelException;
import io.tributary.core.model.ModelParser;
import io.tributary.gateway.Gateway;
import io.tributary.gateway.GatewayConfig;
import io.tributary.kafka.Topics;
import io.tributary.materializer.MaterializerConfig;
import io.tributary.materializer.MaterializerService;
import io.tributary.materializer.ReadApi;
import io.tributary.materializer.RocksStore;
import io.tributary.sequencer.SequencerConfig;
import io.tributary.sequencer.SequencerService;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code sync-server} command. */
@Command(
    name = "sync-server",
    versionProvider = Main.Version.class,
    description = "Runs the Tributary sync server: all roles in one process by default.",
    subcommands = {
      Main.GatewayCommand.class,
      Main.SequencerCommand.class,
      Main.MaterializerCommand.class
    })
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger("SyncServer");

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Shows this help and exits.")
  boolean help;

  // -v as ObjectBox's sync-server has it (picocli's own is -V).
  @Option(
      names = {"-v", "--version"},
      versionHelp = true,
      description = "Shows the version and exits.")
  boolean version;

  /** The version of this build, from the version file Maven writes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Tributary sync-server " + text()};
    }

    /** The version number, e.g. 0.1.0. */
    static String text() {
      java.util.Properties properties = new java.util.Properties();
      try (var in = Main.class.getResourceAsStream("/tributary-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        // Then the version is unknown.
      }
      return properties.getProperty("version", "(unknown version)");
    }
  }

  // Not "required" for picocli: the role subcommands run without it.
  @Option(
      names = {"-m", "--model"},
      description = "The objectbox-model.json file (required).")
  Path model;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--admin-bind",
      description = "Where the admin port listens: health and metrics (default: ${DEFAULT-VALUE}).",
      defaultValue = "http://127.0.0.1:9980")
  URI adminBind;

  @Option(names = "--admin-off", description = "No admin port.")
  boolean adminOff;

  @Option(
      names = "--log-level",
      paramLabel = "<level>",
      description = "trace, debug, info (default), warn or error.")
  String logLevel;

  @Option(names = "--debug", description = "Same as --log-level debug.")
  boolean debug;

  @Option(
      names = {"-c", "--conf"},
      description =
          "The JSON configuration file; the command line overrides it (default:"
              + " sync-server-config.json in the working directory, if there).")
  Path conf;

  @Option(
      names = {"-d", "--db-directory"},
      description = "Where the server keeps its data (default: ${DEFAULT-VALUE}).",
      defaultValue = "tributary-data")
  Path dataDirectory;

  @Option(
      names = {"-b", "--bind"},
      description = "Sync WebSocket address (default: ${DEFAULT-VALUE}).",
      defaultValue = "ws://0.0.0.0:9999")
  URI bind;

  @Option(
      names = "--kafka-bootstrap",
      description = "An existing Kafka cluster; without it, an embedded broker is started.")
  String kafkaBootstrap;

  @Option(
      names = "--cert",
      paramLabel = "<directory>",
      description = "A directory with cert.pem and key.pem: the sync port speaks TLS (wss://).")
  Path cert;

  @Option(
      names = "--unsecured-no-authentication",
      description = "Let every client connect (development only).")
  boolean unsecuredNoAuthentication;

  @Option(
      names = "--idle-timeout",
      defaultValue = "600",
      paramLabel = "<seconds>",
      description =
          "End a client connection silent (not even a PING) for this long (default: ${DEFAULT-VALUE}).")
  long idleTimeoutSeconds;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns its exit code. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parsed) -> {
          // One readable line, never a stack trace, for an operator's mistake. It goes to the log
          // (standard output) only: printed twice it would read as two errors.
          LOG.error("{}", oneLine(error));
          return 1;
        });
    commandLine.setParameterExceptionHandler(
        (error, args1) -> {
          CommandLine cmd = error.getCommandLine();
          cmd.getErr().println(error.getMessage());
          cmd.getErr()
              .println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
          return 2;
        });
    return commandLine.execute(args);
  }

  /** An error as one line: its message, or its type when it has none. */
  static String oneLine(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    return message.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    applyLogLevel(ConfigFile.empty());
    ConfigFile config = loadConfig();
    applyLogLevel(config);
    Path certificates = given("--cert") ? cert : config.path("certificatePath").orElse(cert);
    io.tributary.gateway.TlsFiles tls =
        certificates == null ? null : io.tributary.gateway.TlsFiles.inDirectory(certificates);
    Path modelFile = given("--model") ? model : config.path("modelFile").orElse(model);
    if (modelFile == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--model=<model>'");
    }
    config
        .text("dbMaxSize")
        .ifPresent(size -> LOG.info("dbMaxSize {} is accepted but not enforced", size));
    io.tributary.gateway.Authenticator authenticator =
        authenticator(
            unsecuredNoAuthentication || config.flag("unsecuredNoAuthentication").orElse(false),
            config.text("auth.sharedSecret"));
    Model parsed = loadModel(modelFile);
    URI listen = given("--bind") ? bind : config.uri("bind").orElse(bind);
    requireScheme(listen, tls);
    // The admin port opens first: its metrics registry must be there before any meter, and
    // readiness says "not yet" while the rest starts.
    java.util.concurrent.atomic.AtomicReference<SyncServer> running =
        new java.util.concurrent.atomic.AtomicReference<>();
    AdminServer admin = startAdmin(config, () -> running.get() != null && running.get().ready());
    SyncServer server;
    try {
      server =
          SyncServer.start(
              new SyncServer.Options(
                  given("--db-directory")
                      ? dataDirectory
                      : config.path("dbDirectory").orElse(dataDirectory),
                  parsed,
                  listen.getHost(),
                  port(listen, 9999),
                  kafkaBootstrap != null
                      ? kafkaBootstrap
                      : config.text("kafkaBootstrap").orElse(null),
                  Topics.defaults(),
                  java.time.Duration.ofSeconds(
                      given("--idle-timeout")
                          ? idleTimeoutSeconds
                          : config.number("idleTimeout").orElse(idleTimeoutSeconds)),
                  authenticator,
                  tls));
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close();
      }
      throw e;
    }
    running.set(server);
    if (admin != null) {
      admin.show(
          new ServerAdminView(
              server, listen.getScheme() + "://" + listen.getHost() + ":" + server.port()));
    }
    LOG.info(
        "Sync listening on {}:{} {}",
        listen.getHost(),
        server.port(),
        tls == null ? "without SSL" : "with SSL (wss://)");
    warnIfInsecure(authenticator);
    LOG.info("Tributary sync server started in {} ms", (System.nanoTime() - started) / 1_000_000);
    awaitShutdown(
        () -> {
          if (admin != null) {
            admin.close();
          }
          server.close();
        });
    return 0;
  }

  /** ws:// or, with certificates, wss://: a wss address without them cannot be served. */
  static void requireScheme(URI listen, io.tributary.gateway.TlsFiles tls) {
    String scheme = String.valueOf(listen.getScheme());
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("bind must be a ws:// or wss:// address, not " + listen);
    }
    if (scheme.equals("wss") && tls == null) {
      throw new IllegalArgumentException(
          "bind " + listen + " needs --cert, a directory with cert.pem and key.pem");
    }
  }

  /** The admin port, unless it is off. */
  private AdminServer startAdmin(ConfigFile config, java.util.function.BooleanSupplier ready) {
    if (adminOff || config.flag("adminOff").orElse(false)) {
      return null;
    }
    URI admin = given("--admin-bind") ? adminBind : config.uri("adminBind").orElse(adminBind);
    AdminCredentials credentials =
        config
            .text("adminAuth.password")
            .map(
                password ->
                    new AdminCredentials(
                        config.text("adminAuth.username").orElse("admin"), password))
            .orElse(null);
    requireAdminAuthBeyondLoopback(admin, credentials);
    AdminServer started = AdminServer.start(admin.getHost(), port(admin, 9980), ready, credentials);
    LOG.info(
        "Admin listening on http://{}:{} {}",
        admin.getHost(),
        started.port(),
        credentials == null ? "without a password" : "for user " + credentials.username());
    return started;
  }

  /**
   * The admin port shows every dataset's data: reachable from other machines, it must ask for a
   * password, as the sync port must authenticate its clients.
   */
  static void requireAdminAuthBeyondLoopback(URI admin, AdminCredentials credentials) {
    if (credentials != null) {
      return;
    }
    boolean loopback;
    try {
      loopback = java.net.InetAddress.getByName(admin.getHost()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("admin bind " + admin + ": unknown host");
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "admin bind "
              + admin
              + " is reachable from other machines: set adminAuth (username, password) in the"
              + " configuration file, or bind the admin port to 127.0.0.1");
    }
  }

  /** The configuration file: the one named, else the default one if it is there. */
  private ConfigFile loadConfig() {
    if (conf != null) {
      if (!Files.exists(conf)) {
        throw new IllegalArgumentException("Configuration file " + conf + " does not exist");
      }
      LOG.info("Configuration file {} loaded", conf);
      return ConfigFile.read(conf);
    }
    Path byDefault = Path.of("sync-server-config.json");
    if (Files.exists(byDefault)) {
      LOG.info("Default configuration file {} loaded", byDefault);
      return ConfigFile.read(byDefault);
    }
    LOG.info("Default configuration file {} not found", byDefault);
    return ConfigFile.empty();
  }

  /** The command line's level, set before anything is logged; else the file's, once read. */
  private void applyLogLevel(ConfigFile config) {
    Optional<String> level =
        debug
            ? Optional.of("debug")
            : logLevel != null
                ? Optional.of(logLevel)
                : config.flag("debug").orElse(false)
                    ? Optional.of("debug")
                    : config.text("logLevel");
    level.ifPresent(
        name ->
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(LogLevels.parse(name)));
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The way clients are let in: a shared secret, or everyone if asked for; else no start. */
  static io.tributary.gateway.Authenticator authenticator(
      boolean unsecured, Optional<String> sharedSecret) {
    if (sharedSecret.isPresent()) {
      LOG.info("Authentication by shared secret");
      return io.tributary.gateway.Authenticator.sharedSecret(sharedSecret.get());
    }
    requireAuthentication(unsecured);
    return io.tributary.gateway.Authenticator.unsecured();
  }

  static void requireAuthentication(boolean unsecured) {
    if (!unsecured) {
      throw new IllegalStateException("Authenticator must be set before starting");
    }
  }

  /** Logged once the sync port listens, as ObjectBox does: that is when it becomes true. */
  static void warnIfInsecure(io.tributary.gateway.Authenticator authenticator) {
    if (authenticator == io.tributary.gateway.Authenticator.unsecured()) {
      LOG.warn(
          "INSECURE no-authentication mode enabled - every client allowed without any validation");
    }
  }

  public static Model loadModel(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("Model file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read model file " + file + ": " + e.getMessage());
    }
    try {
      Model model = ModelParser.parse(json, file.toString());
      LOG.info("Model file {} loaded, it has {} bytes", file, json.length());
      return model;
    } catch (ModelException e) {
      throw new IllegalArgumentException("Invalid model: " + e.getMessage());
    }
  }

  static int port(URI uri, int fallback) {
    return uri.getPort() < 0 ? fallback : uri.getPort();
  }

  static void awaitShutdown(AutoCloseable service) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Stopping");
                  try {
                    service.close();
                  } catch (Exception e) {
                    LOG.warn("Error while stopping: {}", e.toString());
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }

  /** Options every role needs when it runs alone. */
  static class KafkaOptions {
    @Option(names = "--kafka-bootstrap", required = true, description = "The Kafka cluster.")
    String bootstrap;

    @Option(
        names = "--topic-prefix",
        defaultValue = "tributary",
        description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(
        names = "--partitions",
        defaultValue = "12",
        description = "Partitions of new topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
        names = "--replication-factor",
        defaultValue = "1",
        description = "Replicas of new topics (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    Topics topics() {
      return new Topics(topicPrefix, partitions, replicationFactor);
    }
  }

  @Command(name = "gateway", mixinStandardHelpOptions = true, description = "Runs a gateway alone.")
  static final class GatewayCommand implements Callable<Integer> {
    @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
        names = {"-m", "--model"},
        required = true,
        description = "The objectbox-model.json file.")
    Path model;

    @Option(
        names = {"-b", "--bind"},
        defaultValue = "ws://0.0.0.0:9999",
        description = "Sync WebSocket address.")
    URI bind;

    @Option(
        names = "--materializer-url",
        required = true,
        description = "A materializer's read API, e.g. http://host:9981.")
    String materializerUrl;

    @Option(names = "--unsecured-no-authentication", description = "Let every client connect.")
    boolean unsecuredNoAuthentication;

    @Option(
        names = "--cert",
        paramLabel = "<directory>",
        description = "A directory with cert.pem and key.pem: TLS (wss://).")
    Path cert;

    @Option(
        names = "--idle-timeout",
        defaultValue = "600",
        paramLabel = "<seconds>",
        description =
            "End a client connection silent (not even a PING) for this long (default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
      requireAuthentication(unsecuredNoAuthentication);
      io.tributary.gateway.TlsFiles tls =
          cert == null ? null : io.tributary.gateway.TlsFiles.inDirectory(cert);
      requireScheme(bind, tls);
      Model parsed = loadModel(model);
      SyncServer.createTopics(kafka.bootstrap, kafka.topics());
      io.tributary.gateway.SchemaVersions.Version schema =
          SyncServer.selectSchema(kafka.bootstrap, kafka.topics(), parsed);
      Vertx vertx = Vertx.vertx();
      Gateway gateway =
          new Gateway(
                  vertx,
                  new GatewayConfig(
                          kafka.bootstrap,
                          kafka.topics(),
                          bind.getHost(),
                          port(bind, 9999),
                          materializerUrl,
                          schema.model())
                      .withSchema(schema.model(), schema.renames())
                      .withIdleTimeout(java.time.Duration.ofSeconds(idleTimeoutSeconds))
                      .withTls(tls))
              .start()
              .await()
              .followSchemaVersions(schema);
      LOG.info("Gateway {} listening on {}:{}", gateway.id(), bind.getHost(), gateway.port());
      warnIfInsecure(io.tributary.gateway.Authenticator.unsecured());
      awaitShutdown(
          () -> {
            gateway.close();
            vertx.close().await();
          });
      return 0;
    }
  }

  @Command(
      name = "sequencer",
      mixinStandardHelpOptions = true,
      description = "Runs a sequencer alone.")
  static final class SequencerCommand implements Callable<Integer> {
    @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
        names = "--session-timeout-ms",
        defaultValue = "10000",
        description =
            "How long Kafka waits for a silent sequencer before moving its partitions"
                + " (default: ${DEFAULT-VALUE}).")
    long sessionTimeoutMs;

    @Override
    public Integer call() throws Exception {
      SyncServer.createTopics(kafka.bootstrap, kafka.topics());
      SequencerService sequencer =
          new SequencerService(
                  SequencerConfig.defaults(kafka.bootstrap)
                      .withTopics(kafka.topics())
                      .withSessionTimeout(java.time.Duration.ofMillis(sessionTimeoutMs)))
              .start();
      LOG.info("Sequencer started on {}", kafka.bootstrap);
      awaitShutdown(sequencer);
      return 0;
    }
  }

  @Command(
      name = "materializer",
      mixinStandardHelpOptions = true,
      description = "Runs a materializer alone.")
  static final class MaterializerCommand implements Callable<Integer> {
    @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
        names = {"-d", "--db-directory"},
        defaultValue = "tributary-data/materializer",
        description = "RocksDB directory.")
    Path directory;

    @Option(
        names = "--read-api",
        defaultValue = "127.0.0.1:9981",
        description = "host:port of the read API for gateways.")
    String readApi;

    @Override
    public Integer call() throws Exception {
      SyncServer.createTopics(kafka.bootstrap, kafka.topics());
      URI address = URI.create("http://" + readApi);
      RocksStore store = RocksStore.open(directory);
      MaterializerService materializer =
          new MaterializerService(new MaterializerConfig(kafka.bootstrap, kafka.topics()), store)
              .start();
      Vertx vertx = Vertx.vertx();
      var server = ReadApi.start(vertx, store, address.getHost(), address.getPort()).await();
      LOG.info("Materializer read API listening on {}:{}", address.getHost(), server.actualPort());
      awaitShutdown(
          () -> {
            vertx.close().await();
            materializer.close();
            store.close();
          });
      return 0;
    }
  }
}

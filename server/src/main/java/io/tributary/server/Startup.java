package io.tributary.server;

import io.tributary.core.auth.Admission;
import io.tributary.core.auth.AuthMethod;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelException;
import io.tributary.core.model.ModelParser;
import io.tributary.gateway.Authenticator;
import io.tributary.gateway.TlsFiles;
import io.tributary.gateway.jwt.JwtAuthenticator;
import io.tributary.gateway.jwt.JwtVerifier;
import io.tributary.materializer.MaterializerConfig;
import io.tributary.server.SyncServer.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every command starts: settings resolved and checked before anything runs, the admin port
 * first (its registry sees every meter, and readiness says "not yet" while the rest starts), then
 * the roles, then the wait for a stop signal. A mistake of the operator ends it with one line.
 */
final class Startup {

  private static final Logger LOG = LoggerFactory.getLogger("SyncServer");

  private final SettingOptions cli;
  private final Set<Role> roles;
  private final boolean wholeServer;

  Startup(SettingOptions cli, Set<Role> roles) {
    this.cli = cli;
    this.roles = roles;
    this.wholeServer = roles.containsAll(EnumSet.allOf(Role.class));
  }

  int run() throws Exception {
    long started = System.nanoTime();
    applyLogLevel(Optional.ofNullable(Boolean.TRUE.equals(cli.debug) ? "debug" : cli.logLevel));
    Settings settings = Settings.resolve(cli, loadConfig());
    applyLogLevel(settings.logLevel());
    SyncServer.Options options = options(settings);
    requireListenable(settings);
    settings
        .dbMaxSize()
        .ifPresent(size -> LOG.info("dbMaxSize {} is accepted but not enforced", size));
    AtomicReference<SyncServer> running = new AtomicReference<>();
    AtomicReference<AdminServer> adminPort = new AtomicReference<>();
    // Ready once the roles are, and the admin port's users are read (its API answers only then).
    AdminServer admin =
        startAdmin(
            settings,
            () ->
                running.get() != null
                    && running.get().ready()
                    && (adminPort.get() == null || adminPort.get().usersReady()));
    adminPort.set(admin);
    SyncServer server;
    try {
      server = SyncServer.start(options, roles);
    } catch (RuntimeException e) {
      if (admin != null) {
        admin.close();
      }
      throw e;
    }
    running.set(server);
    if (admin != null) {
      HostPort address = settings.admin().orElseThrow();
      admin.useUsers(
          server.kafkaBootstrap(),
          server.topics(),
          settings.adminAuth(),
          admin.url(address.host()));
      if (!admin.awaitUsers(java.time.Duration.ofSeconds(30))) {
        LOG.warn("The admin port's users are not read yet; it answers 503 until they are");
      }
    }
    announce(settings, server, admin);
    LOG.info(
        "Tributary {} started in {} ms",
        wholeServer ? "sync server" : describe(),
        (System.nanoTime() - started) / 1_000_000);
    awaitShutdown(
        () -> {
          if (admin != null) {
            admin.close();
          }
          server.close();
        });
    return 0;
  }

  /** The options of the roles, from the settings: every check that needs no network is here. */
  private SyncServer.Options options(Settings settings) {
    if (!wholeServer && settings.kafkaBootstrap().isEmpty()) {
      throw new IllegalArgumentException(
          "a " + describe() + " alone runs on an existing Kafka cluster: give --kafka-bootstrap");
    }
    boolean gateway = roles.contains(Role.GATEWAY);
    Model model = null;
    Admission admission = Admission.UNSECURED;
    TlsFiles tls = null;
    if (gateway) {
      tls = settings.certificatePath().map(TlsFiles::inDirectory).orElse(null);
      requireScheme(settings.bind(), tls);
      warnIfIdleTimeoutBelowPings(settings);
      admission = admission(settings);
      model =
          loadModel(
              settings
                  .modelFile()
                  .orElseThrow(
                      () ->
                          new picocli.CommandLine.ParameterException(
                              new picocli.CommandLine(new Main()),
                              "Missing required option: '--model=<file>'")));
    }
    return new SyncServer.Options(
        settings.dbDirectory(),
        model,
        settings.bind().host(),
        settings.bind().port(),
        settings.kafkaBootstrap().orElse(null),
        settings.topics(),
        settings.connections(),
        admission,
        tls,
        wholeServer ? null : settings.materializerUrl().orElse(null),
        wholeServer ? "127.0.0.1" : settings.readApi().host(),
        wholeServer ? 0 : settings.readApi().port(),
        new SyncServer.SequencerOptions(
            settings.sequencerSessionTimeout(), settings.checkpointEvery()),
        settings.changeEvents() != ChangeEventsMode.OFF,
        roles.contains(Role.GATEWAY) ? backendApi(settings) : null,
        wholeServer || !roles.contains(Role.MATERIALIZER) ? null : materializerGroup(settings));
  }

  /** A materializer alone joins its deployment's group, with the session timeout of its roles. */
  private static SyncServer.MaterializerGroupOptions materializerGroup(Settings settings) {
    return new SyncServer.MaterializerGroupOptions(
        new MaterializerConfig.Group(
            settings.standbyReplicas(),
            settings.sequencerSessionTimeout(),
            MaterializerConfig.Group.DEFAULT_ACCEPTABLE_LAG),
        settings.readApiUrl().orElse(null));
  }

  /**
   * The ports this process will listen on are free now, and the data directory can be written:
   * found before the broker starts or a schema version is written, not after.
   */
  private void requireListenable(Settings settings) {
    if (roles.contains(Role.GATEWAY)) {
      requireFree("Cannot listen for sync on ", settings.bind());
      if (!settings.backendApi().keys().isEmpty() || settings.auth().jwt().isPresent()) {
        requireFree("Cannot listen for the backend API on ", settings.backendApi().bind());
      }
    }
    settings.admin().ifPresent(admin -> requireFree("cannot listen on the admin port ", admin));
    if (roles.contains(Role.MATERIALIZER) && !wholeServer) {
      requireFree("Cannot listen for the read API on ", settings.readApi());
    }
    if (roles.contains(Role.MATERIALIZER) || settings.kafkaBootstrap().isEmpty()) {
      SyncServer.requireWritable(settings.dbDirectory());
    }
  }

  /** Probes a port by listening on it a moment; port 0 is always free. */
  private static void requireFree(String what, HostPort address) {
    if (address.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address.host(), address.port()));
    } catch (IOException e) {
      throw new IllegalStateException(
          what + address.host() + ":" + address.port() + ": " + e.getMessage());
    }
  }

  private void announce(Settings settings, SyncServer server, AdminServer admin) {
    if (roles.contains(Role.MATERIALIZER) && !wholeServer) {
      LOG.info(
          "Materializer read API listening on {}:{}",
          settings.readApi().host(),
          server.readApiPort());
    }
    if (roles.contains(Role.SEQUENCER) && !wholeServer) {
      LOG.info("Sequencer started on {}", server.kafkaBootstrap());
    }
    if (roles.contains(Role.GATEWAY)) {
      boolean secure = settings.certificatePath().isPresent();
      String sync = (secure ? "wss" : "ws") + "://" + settings.bind().host() + ":" + server.port();
      if (admin != null && wholeServer) {
        admin.show(new ServerAdminView(server, sync));
      }
      LOG.info(
          "{} listening on {}:{} {}",
          wholeServer ? "Sync" : "Gateway " + server.gateway().id(),
          settings.bind().host(),
          server.port(),
          secure ? "with SSL (wss://)" : "without SSL");
      warnIfInsecure(server.syncAdmission());
    }
    if (admin != null && !wholeServer) {
      admin.withoutUi(describe());
    }
  }

  private String describe() {
    return roles.size() == 1
        ? roles.iterator().next().name().toLowerCase(java.util.Locale.ROOT)
        : "server";
  }

  /** The Java SDK PINGs every 60 s by default: a shorter idle timeout cuts its idle clients. */
  private static void warnIfIdleTimeoutBelowPings(Settings settings) {
    java.time.Duration idle = settings.connections().idleTimeout();
    if (idle.compareTo(java.time.Duration.ofSeconds(120)) < 0) {
      LOG.warn(
          "idleTimeout {} s is less than twice the Java SDK's PING interval (60 s): idle clients"
              + " are cut off unless they ping more often (SyncClient.pingEvery)",
          idle.toMillis() / 1000.0);
    }
  }

  /** ws:// or, with certificates, wss://: a wss address without them cannot be served. */
  static void requireScheme(HostPort bind, TlsFiles tls) {
    if (bind.scheme().equals("wss") && tls == null) {
      throw new IllegalArgumentException(
          "bind " + bind + " needs --cert, a directory with cert.pem and key.pem");
    }
  }

  /** The admin port, unless it is off. */
  private AdminServer startAdmin(Settings settings, java.util.function.BooleanSupplier ready) {
    if (settings.admin().isEmpty()) {
      return null;
    }
    HostPort address = settings.admin().get();
    TlsFiles tls = adminTls(settings);
    AdminServer started =
        AdminServer.start(
            address.host(),
            address.port(),
            ready,
            new AdminServer.Options(settings.adminHosts(), settings.adminProxies(), tls));
    LOG.info("Admin listening on {}", started.url(address.host()));
    return started;
  }

  /**
   * The admin port's certificate and key, if it speaks TLS: {@code --admin-cert}; an {@code
   * https://} admin address needs it.
   */
  static TlsFiles adminTls(Settings settings) {
    HostPort admin = settings.admin().orElseThrow();
    TlsFiles tls = settings.adminCertificatePath().map(TlsFiles::inDirectory).orElse(null);
    if ("https".equals(admin.scheme()) && tls == null) {
      throw new IllegalArgumentException(
          "admin bind " + admin + " needs --admin-cert, a directory with cert.pem and key.pem");
    }
    return tls;
  }

  /** The configuration file: the one named, else the default one if it is there. */
  private ConfigFile loadConfig() {
    if (cli.conf != null) {
      if (!Files.exists(cli.conf)) {
        throw new IllegalArgumentException("Configuration file " + cli.conf + " does not exist");
      }
      LOG.info("Configuration file {} loaded", cli.conf);
      return ConfigFile.read(cli.conf);
    }
    Path byDefault = Path.of("sync-server-config.json");
    if (Files.exists(byDefault)) {
      LOG.info("Default configuration file {} loaded", byDefault);
      return ConfigFile.read(byDefault);
    }
    LOG.info("Default configuration file {} not found", byDefault);
    return ConfigFile.empty();
  }

  private static void applyLogLevel(Optional<String> level) {
    level.ifPresent(
        name ->
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(LogLevels.parse(name)));
  }

  /**
   * The way clients are let in: the configured methods side by side (a shared secret first, then
   * JWTs, whose refusal says most), or everyone if asked for; else no start.
   */
  static Admission admission(Settings settings) {
    AuthSettings auth = settings.auth();
    if (!auth.any()) {
      if (!settings.unsecuredNoAuthentication()) {
        throw new IllegalStateException("Authenticator must be set before starting");
      }
      return new Admission(Authenticator.unsecured(), auth.permissions());
    }
    List<Authenticator> methods = new ArrayList<>();
    auth.sharedSecret()
        .ifPresent(
            secret -> {
              LOG.info("Authentication by shared secret");
              methods.add(Authenticator.sharedSecret(secret));
            });
    auth.jwt().ifPresent(jwt -> methods.add(jwtAuthenticator(jwt)));
    if (auth.jwt().isPresent() && auth.permissions().rulesOf(AuthMethod.JWT).isEmpty()) {
      LOG.warn(
          "JWTs are accepted but \"permissions\" has no \"jwt\" rules: a JWT allows no dataset");
    }
    return new Admission(Authenticator.firstOf(methods), auth.permissions());
  }

  /**
   * The backend API's address and admission: its API keys and, if JWTs are configured, JWTs (their
   * permission rules decide). Never the shared secret or the unsecured mode: apps hold those.
   * Without a way in, there is no backend API.
   */
  static SyncServer.BackendApiOptions backendApi(Settings settings) {
    List<Authenticator> methods = new ArrayList<>();
    BackendApiSettings api = settings.backendApi();
    if (!api.keys().isEmpty()) {
      methods.add(Authenticator.apiKeys(api.keys()));
    }
    settings.auth().jwt().ifPresent(jwt -> methods.add(jwtAuthenticator(jwt)));
    if (methods.isEmpty()) {
      LOG.info("No backend API: give backendApi.keys or auth.jwt to open it");
      return null;
    }
    return new SyncServer.BackendApiOptions(
        api.bind().host(),
        api.bind().port(),
        new Admission(Authenticator.firstOf(methods), settings.auth().permissions()));
  }

  /** JWTs signed by any of the configured keys. */
  private static Authenticator jwtAuthenticator(AuthSettings.Jwt jwt) {
    List<Authenticator> keys = new ArrayList<>();
    List<String> described = new ArrayList<>();
    jwt.secret()
        .ifPresent(
            secret -> {
              keys.add(jwt(JwtVerifier.hmac(secret, jwt.rules())));
              described.add("an HMAC secret");
            });
    jwt.publicKeysPem()
        .ifPresent(
            pem -> {
              keys.add(jwt(JwtVerifier.publicKeys(pem, jwt.rules())));
              described.add("public keys");
            });
    jwt.jwksUrl()
        .ifPresent(
            url -> {
              keys.add(jwt(JwtVerifier.jwks(url, jwt.jwksCaching(), jwt.rules())));
              described.add("the keys of " + url);
            });
    LOG.info("Authentication by JWTs signed with {}", String.join(", ", described));
    return Authenticator.firstOf(keys);
  }

  private static Authenticator jwt(JwtVerifier verifier) {
    return new JwtAuthenticator(verifier);
  }

  /** Logged once the sync port listens, as ObjectBox does: that is when it becomes true. */
  static void warnIfInsecure(Admission admission) {
    if (Authenticator.letsEveryoneIn(admission.tokens())) {
      LOG.warn(
          "INSECURE no-authentication mode enabled - every client allowed without any validation");
    }
  }

  static Model loadModel(Path file) {
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
}

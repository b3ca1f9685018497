package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.session.ConnectionLimits;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.gateway.ConnectionQuotas;
import io.tributary.kafka.Topics;
import io.tributary.sequencer.SequencerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting of every command, resolved the one way: the command line over the configuration
 * file over the defaults, with the same keys everywhere. Each value is checked here, before
 * anything starts; a bad one stops the start with one line that names it and where it came from.
 *
 * @param modelFile the model; the server and a gateway need one
 * @param admin where the admin port listens; empty when it is off
 * @param auth how clients prove who they are, and what each may use
 * @param kafkaBootstrap an existing cluster; empty for the embedded broker
 * @param materializerUrl a gateway alone: a materializer's read API
 * @param readApi a materializer alone: where its read API listens
 * @param readApiUrl a materializer alone: how gateways reach its read API; empty: its address
 * @param standbyReplicas a materializer alone: warm copies of each history partition its group
 *     keeps on other members
 * @param changeEvents whether the materializer publishes change events, and how they are kept
 * @param checkpointEvery a sequencer: history records between two checkpoints of a partition
 * @param backendApi where the backend API listens and its API keys
 */
record Settings(
    Optional<Path> modelFile,
    Path dbDirectory,
    HostPort bind,
    Optional<HostPort> admin,
    java.util.Set<String> adminHosts,
    java.util.Set<String> adminProxies,
    Optional<AdminCredentials> adminAuth,
    Optional<String> logLevel,
    Optional<Path> certificatePath,
    Optional<Path> adminCertificatePath,
    boolean unsecuredNoAuthentication,
    AuthSettings auth,
    Optional<String> kafkaBootstrap,
    Topics topics,
    ConnectionPolicy connections,
    Optional<String> materializerUrl,
    HostPort readApi,
    Optional<String> readApiUrl,
    int standbyReplicas,
    Duration sequencerSessionTimeout,
    long checkpointEvery,
    Optional<String> dbMaxSize,
    ChangeEventsMode changeEvents,
    BackendApiSettings backendApi) {

  /**
   * Fewer history records between checkpoints than this would write a checkpoint for every few
   * changesets; more would make a takeover replay most of history.
   */
  static final long MIN_CHECKPOINT_EVERY = 1_000;

  static final long MAX_CHECKPOINT_EVERY = 100_000_000;

  /** More standbys than this would cost more than a failover is worth. */
  static final int MAX_STANDBYS = 8;

  private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /** Resolves every setting from the command line and the configuration file. */
  static Settings resolve(SettingOptions cli, ConfigFile file) {
    Resolver r = new Resolver(cli, file);
    HostPort bind =
        r.value(
            "bind", "--bind", cli.bind, JsonNode::asText, "ws://0.0.0.0:9999", Settings::syncBind);
    ChangeEventsMode changeEvents =
        r.value(
            "changeEvents",
            "--change-events",
            cli.changeEvents,
            JsonNode::asText,
            "off",
            ChangeEventsMode::parse);
    return new Settings(
        r.value("modelFile", "--model", cli.model, node -> Path.of(node.asText())),
        r.value("dbDirectory", "--db-directory", cli.dbDirectory, node -> Path.of(node.asText()))
            .orElse(Path.of("tributary-data")),
        bind,
        r.flag("adminOff", "--admin-off", cli.adminOff)
            ? Optional.empty()
            : Optional.of(
                r.value(
                    "adminBind",
                    "--admin-bind",
                    cli.adminBind,
                    JsonNode::asText,
                    "127.0.0.1:9980",
                    (name, text) -> adminBind(name, text))),
        adminHosts(cli, file),
        adminProxies(cli, file),
        file.text("adminAuth.password")
            .map(
                password ->
                    new AdminCredentials(
                        file.text("adminAuth.username").orElse("admin"), password)),
        r.flag("debug", "--debug", cli.debug)
            ? Optional.of("debug")
            : r.<String>value("logLevel", "--log-level", cli.logLevel, JsonNode::asText)
                .map(level -> LogLevels.parse(level).toString()),
        r.value("certificatePath", "--cert", cli.certificatePath, node -> Path.of(node.asText())),
        r.value(
            "adminCertificatePath",
            "--admin-cert",
            cli.adminCertificatePath,
            node -> Path.of(node.asText())),
        r.flag(
            "unsecuredNoAuthentication",
            "--unsecured-no-authentication",
            cli.unsecuredNoAuthentication),
        AuthSettings.resolve(file),
        r.value("kafkaBootstrap", "--kafka-bootstrap", cli.kafkaBootstrap, JsonNode::asText)
            .map(String::trim)
            .filter(servers -> !servers.isEmpty()),
        new Topics(
            r.value(
                "topicPrefix",
                "--topic-prefix",
                cli.topicPrefix,
                JsonNode::asText,
                "tributary",
                Settings::topicPrefix),
            (int) r.positive("partitions", "--partitions", cli.partitions, 12, 10_000),
            (short)
                r.positive(
                    "replicationFactor", "--replication-factor", cli.replicationFactor, 1, 32),
            changeEvents == ChangeEventsMode.COMPACTED),
        new ConnectionPolicy(
            r.seconds("idleTimeout", "--idle-timeout", cli.idleTimeout, 600),
            r.seconds("handshakeTimeout", "--handshake-timeout", cli.handshakeTimeout, 10),
            r.seconds("slowReaderTimeout", "--slow-reader-timeout", cli.slowReaderTimeout, 30),
            (int)
                r.positive("maxHandshakes", "--max-handshakes", cli.maxHandshakes, 1024, 1_000_000),
            (int)
                r.positive(
                    "maxGatewayUploadsInFlight",
                    "--max-gateway-uploads-in-flight",
                    cli.maxGatewayUploadsInFlight,
                    ConnectionPolicy.DEFAULTS.gatewayUploadsInFlight(),
                    10_000_000),
            ConnectionLimits.DEFAULTS
                .withSessions(
                    (int)
                        r.positive(
                            "maxSessionsPerConnection",
                            "--max-sessions-per-connection",
                            cli.maxSessionsPerConnection,
                            ConnectionLimits.DEFAULTS.sessions(),
                            100_000))
                .withUploadsInFlight(
                    (int)
                        r.positive(
                            "maxUploadsInFlight",
                            "--max-uploads-in-flight",
                            cli.maxUploadsInFlight,
                            ConnectionLimits.DEFAULTS.uploadsInFlight(),
                            1_000_000)),
            new ConnectionQuotas(
                (int)
                    r.positive(
                        "maxConnections",
                        "--max-connections",
                        cli.maxConnections,
                        ConnectionQuotas.DEFAULTS.connections(),
                        10_000_000),
                (int)
                    r.positive(
                        "maxConnectionsPerAddress",
                        "--max-connections-per-address",
                        cli.maxConnectionsPerAddress,
                        ConnectionQuotas.DEFAULTS.connectionsPerAddress(),
                        10_000_000),
                (int)
                    r.positive(
                        "maxUploadsPerSecond",
                        "--max-uploads-per-second",
                        cli.maxUploadsPerSecond,
                        ConnectionQuotas.DEFAULTS.uploadsPerSecond(),
                        10_000_000),
                (int)
                    r.positive(
                        "uploadBurst",
                        "--upload-burst",
                        cli.uploadBurst,
                        ConnectionQuotas.DEFAULTS.uploadBurst(),
                        10_000_000))),
        r.value("materializerUrl", "--materializer-url", cli.materializerUrl, JsonNode::asText)
            .map(url -> httpUrl("materializerUrl", url)),
        r.value(
            "readApi",
            "--read-api",
            cli.readApi,
            JsonNode::asText,
            "127.0.0.1:9981",
            (name, text) -> HostPort.parse(name, text, 9981, "127.0.0.1:9981")),
        r.value("readApiUrl", "--read-api-url", cli.readApiUrl, JsonNode::asText)
            .map(url -> httpUrl("readApiUrl", url)),
        (int)
            r.count("standbyReplicas", "--standby-replicas", cli.standbyReplicas, 0, MAX_STANDBYS),
        Duration.ofMillis(
            sessionTimeout(
                r.positive(
                    "sessionTimeoutMs",
                    "--session-timeout-ms",
                    cli.sessionTimeoutMs,
                    10_000,
                    1_800_000))),
        r.whole(
            "checkpointEvery",
            "--checkpoint-every",
            cli.checkpointEvery,
            SequencerConfig.DEFAULT_CHECKPOINT_EVERY,
            MIN_CHECKPOINT_EVERY,
            MAX_CHECKPOINT_EVERY),
        file.text("dbMaxSize"),
        changeEvents,
        BackendApiSettings.resolve(cli, file));
  }

  /** Names the admin port answers to: from the command line, else from the file. */
  private static java.util.Set<String> adminHosts(SettingOptions cli, ConfigFile file) {
    return java.util.Set.copyOf(list(cli.adminHosts, file, "adminHosts"));
  }

  /**
   * The reverse proxies in front of the admin port, as IP addresses (no names: a lookup must not
   * decide whom to trust), written as the admin port sees a peer's address.
   */
  private static java.util.Set<String> adminProxies(SettingOptions cli, ConfigFile file) {
    java.util.Set<String> proxies = new java.util.HashSet<>();
    for (String address : list(cli.adminProxies, file, "adminProxies")) {
      proxies.add(ipLiteral(address));
    }
    return java.util.Set.copyOf(proxies);
  }

  private static String ipLiteral(String address) {
    boolean literal =
        address.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || address.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    try {
      if (literal) {
        return java.net.InetAddress.getByName(address).getHostAddress();
      }
    } catch (java.net.UnknownHostException e) {
      // Not an address after all: said below.
    }
    throw new IllegalArgumentException(
        "adminProxies: " + address + " is not an IP address (give the proxies' addresses)");
  }

  /** A list of strings from the command line, else from the file; blanks dropped. */
  private static java.util.List<String> list(
      java.util.List<String> fromCli, ConfigFile file, String key) {
    java.util.List<String> names =
        fromCli != null
            ? fromCli
            : file.node(key)
                .map(
                    node ->
                        java.util.stream.StreamSupport.stream(node.spliterator(), false)
                            .map(JsonNode::asText)
                            .toList())
                .orElse(java.util.List.of());
    return names.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
  }

  /**
   * Kafka's group session timeout: at least 1 s (below, the heartbeat cannot come often enough; a
   * cluster's brokers may ask for more, by default 6 s) and at most 30 minutes, the brokers'
   * default ceiling.
   */
  private static long sessionTimeout(long millis) {
    if (millis < 1_000) {
      throw new IllegalArgumentException(
          "sessionTimeoutMs must be at least 1000 (a cluster's brokers may ask for more), not "
              + millis);
    }
    return millis;
  }

  /** The sync address: {@code ws://} or {@code wss://}, host and port. */
  private static HostPort syncBind(String name, String text) {
    HostPort bind = HostPort.parse(name, text, 9999, "ws://0.0.0.0:9999");
    String scheme = bind.scheme() == null ? "ws" : bind.scheme();
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException(
          name + " must be a ws:// or wss:// address, not \"" + text + "\"");
    }
    return new HostPort(scheme, bind.host(), bind.port());
  }

  /** ObjectBox's {@code --admin-bind 0.0.0.0:9980}, or a URL with {@code http://}. */
  /** host:port, http://host:port, or https://host:port (which needs --admin-cert). */
  private static HostPort adminBind(String name, String text) {
    HostPort admin = HostPort.parse(name, text, 9980, "127.0.0.1:9980");
    if (admin.scheme() != null
        && !admin.scheme().equals("http")
        && !admin.scheme().equals("https")) {
      throw new IllegalArgumentException(
          name + " is HTTP or HTTPS: give host:port, not \"" + text + "\"");
    }
    return new HostPort(
        "https".equals(admin.scheme()) ? "https" : null, admin.host(), admin.port());
  }

  private static String topicPrefix(String name, String prefix) {
    if (!TOPIC_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          name + " must be 1-100 letters, digits, '.', '_' or '-', not \"" + prefix + "\"");
    }
    return prefix;
  }

  private static String httpUrl(String name, String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || !"http".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 0) {
      throw new IllegalArgumentException(
          name + " must be http://host:port (a materializer's read API), not \"" + url + "\"");
    }
    return url.trim();
  }

  /** Finds each setting's value and says where a bad one came from. */
  private record Resolver(SettingOptions cli, ConfigFile file) {

    <T> Optional<T> value(String key, String option, Object given, Function<JsonNode, T> fromFile) {
      if (given != null) {
        @SuppressWarnings("unchecked")
        T value = (T) given;
        return Optional.of(value);
      }
      return file.node(key).map(fromFile);
    }

    /** A value parsed from its text, with the name of where it came from for a refusal. */
    <T> T value(
        String key,
        String option,
        String given,
        Function<JsonNode, String> fromFile,
        String fallback,
        java.util.function.BiFunction<String, String, T> parse) {
      if (given != null) {
        return parse.apply(option, given);
      }
      Optional<JsonNode> node = file.node(key);
      if (node.isPresent()) {
        return parse.apply(file.where(key), fromFile.apply(node.get()));
      }
      return parse.apply(key, fallback);
    }

    boolean flag(String key, String option, Boolean given) {
      return given != null ? given : file.flag(key).orElse(false);
    }

    Duration seconds(String key, String option, String given, long fallback) {
      double seconds = number(key, option, given, fallback);
      if (!(seconds > 0) || seconds > 365 * 24 * 3600) {
        throw new IllegalArgumentException(
            where(key, option, given)
                + " must be a positive number of seconds, not "
                + show(key, given));
      }
      return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    /** A whole number from 0 to {@code most}. */
    long count(String key, String option, String given, long fallback, long most) {
      return whole(key, option, given, fallback, 0, most);
    }

    long positive(String key, String option, String given, long fallback, long most) {
      return whole(key, option, given, fallback, 1, most);
    }

    private long whole(
        String key, String option, String given, long fallback, long least, long most) {
      double number = number(key, option, given, fallback);
      if (number != Math.rint(number) || number < least || number > most) {
        throw new IllegalArgumentException(
            where(key, option, given)
                + " must be a whole number from "
                + least
                + " to "
                + most
                + ", not "
                + show(key, given));
      }
      return (long) number;
    }

    private double number(String key, String option, String given, double fallback) {
      if (given != null) {
        try {
          return Double.parseDouble(given.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(option + " must be a number, not \"" + given + "\"");
        }
      }
      return file.node(key).map(JsonNode::asDouble).orElse(fallback);
    }

    private String where(String key, String option, String given) {
      return given != null ? option : file.where(key);
    }

    private String show(String key, String given) {
      return given != null ? given : file.node(key).map(JsonNode::toString).orElse("?");
    }
  }
}

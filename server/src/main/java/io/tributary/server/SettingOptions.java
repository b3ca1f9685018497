package io.tributary.server;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The command line's settings, the same on every command: each one is null unless given, so that
 * {@link Settings} can put the command line over the configuration file over the defaults, key by
 * key. The keys of the configuration file are these names in camelCase.
 */
final class SettingOptions {

  @Option(
      names = {"-c", "--conf"},
      paramLabel = "<file>",
      description =
          "The JSON configuration file; the command line overrides it (default:"
              + " sync-server-config.json in the working directory, if there).")
  Path conf;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "<file>",
      description = "The objectbox-model.json file (the server and a gateway need it).")
  Path model;

  @Option(
      names = {"-d", "--db-directory"},
      paramLabel = "<directory>",
      description = "Where the server keeps its data (default: tributary-data).")
  Path dbDirectory;

  @Option(
      names = {"-b", "--bind"},
      paramLabel = "<address>",
      description = "Sync WebSocket address (default: ws://0.0.0.0:9999).")
  String bind;

  @Option(
      names = "--admin-bind",
      paramLabel = "<host:port>",
      description = "Where the admin port listens (default: 127.0.0.1:9980).")
  String adminBind;

  @Option(
      names = "--admin-hosts",
      paramLabel = "<names>",
      split = ",",
      description =
          "Host names the admin port answers to besides IP addresses and localhost (it refuses"
              + " others, against DNS rebinding).")
  java.util.List<String> adminHosts;

  @Option(
      names = "--admin-proxies",
      paramLabel = "<addresses>",
      split = ",",
      description =
          "IP addresses of reverse proxies in front of the admin port: their X-Forwarded-For"
              + " names the client whose sign-ins are counted.")
  java.util.List<String> adminProxies;

  @Option(names = "--admin-off", description = "No admin port.")
  Boolean adminOff;

  @Option(
      names = "--unsecured-no-authentication",
      description = "Let every client connect (development only).")
  Boolean unsecuredNoAuthentication;

  @Option(
      names = "--cert",
      paramLabel = "<directory>",
      description = "A directory with cert.pem and key.pem: the sync port speaks TLS (wss://).")
  Path certificatePath;

  @Option(
      names = "--admin-cert",
      paramLabel = "<directory>",
      description = "A directory with cert.pem and key.pem: the admin port speaks TLS (https://).")
  Path adminCertificatePath;

  @Option(
      names = "--log-level",
      paramLabel = "<level>",
      description = "trace, debug, info (default), warn or error.")
  String logLevel;

  @Option(names = "--debug", description = "Same as --log-level debug.")
  Boolean debug;

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "<servers>",
      description =
          "An existing Kafka cluster; without it, the server starts an embedded broker (a role"
              + " alone needs one).")
  String kafkaBootstrap;

  @Option(
      names = "--idle-timeout",
      paramLabel = "<seconds>",
      description = "End a client connection silent (not even a PING) this long (default: 600).")
  String idleTimeout;

  @Option(
      names = "--handshake-timeout",
      paramLabel = "<seconds>",
      description = "Close a connection not a WebSocket after this long (default: 10).")
  String handshakeTimeout;

  @Option(
      names = "--slow-reader-timeout",
      paramLabel = "<seconds>",
      description =
          "Close a connection that does not read what it is sent for this long (default: 30).")
  String slowReaderTimeout;

  @Option(
      names = "--max-sessions-per-connection",
      paramLabel = "<count>",
      description = "Sessions (datasets) one connection may bind (default: 64).")
  String maxSessionsPerConnection;

  @Option(
      names = "--max-uploads-in-flight",
      paramLabel = "<count>",
      description =
          "Changesets of one connection published and not yet acknowledged; at this many, the"
              + " server reads nothing more of it until some are (default: 256).")
  String maxUploadsInFlight;

  @Option(
      names = "--max-gateway-uploads-in-flight",
      paramLabel = "<count>",
      description =
          "Changesets all of a gateway's connections may have published and not yet acknowledged;"
              + " beyond, only connections with none in flight are read (default: 1024).")
  String maxGatewayUploadsInFlight;

  @Option(
      names = "--max-connections",
      paramLabel = "<count>",
      description =
          "Open client connections of a gateway; more are refused with 503 (default: 50000).")
  String maxConnections;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "<count>",
      description =
          "Open client connections from one address; more are refused with 429 (default: 1000).")
  String maxConnectionsPerAddress;

  @Option(
      names = "--max-uploads-per-second",
      paramLabel = "<count>",
      description =
          "Changesets one session may upload per second on average; a faster one is read more"
              + " slowly (default: 1000).")
  String maxUploadsPerSecond;

  @Option(
      names = "--upload-burst",
      paramLabel = "<count>",
      description =
          "Changesets one session may upload at once after a quiet while (default: 10000).")
  String uploadBurst;

  @Option(
      names = "--max-handshakes",
      paramLabel = "<count>",
      description = "Connections on their way to a WebSocket at once (default: 1024).")
  String maxHandshakes;

  @Option(
      names = "--topic-prefix",
      paramLabel = "<prefix>",
      description = "Prefix of the topic names (default: tributary).")
  String topicPrefix;

  @Option(
      names = "--partitions",
      paramLabel = "<count>",
      description = "Partitions of new topics (default: 12).")
  String partitions;

  @Option(
      names = "--replication-factor",
      paramLabel = "<count>",
      description = "Replicas of new topics (default: 1).")
  String replicationFactor;

  @Option(
      names = "--backend-api",
      paramLabel = "<host:port>",
      description =
          "Where the backend API listens, with a gateway (default: 127.0.0.1:9982); it runs once"
              + " backendApi.keys or auth.jwt gives a way in.")
  String backendApi;

  @Option(
      names = "--change-events",
      paramLabel = "on|compacted|off",
      description =
          "Whether the materializer publishes change events to <prefix>.changes, and whether that"
              + " topic is compacted when it is created (default: off).")
  String changeEvents;

  @Option(
      names = "--materializer-url",
      paramLabel = "<url>",
      description =
          "A gateway alone: the read API of a materializer that serves every dataset, e.g."
              + " http://host:9981. Without it, the gateway finds each dataset's materializer from"
              + " the routes the materializers' group writes to Kafka.")
  String materializerUrl;

  @Option(
      names = "--read-api",
      paramLabel = "<host:port>",
      description = "A materializer alone: where its read API listens (default: 127.0.0.1:9981).")
  String readApi;

  @Option(
      names = "--read-api-url",
      paramLabel = "<url>",
      description =
          "A materializer alone: how gateways reach its read API, e.g. http://materializer-1:9981"
              + " (default: its --read-api address, with this machine's name for 0.0.0.0).")
  String readApiUrl;

  @Option(
      names = "--standby-replicas",
      paramLabel = "<n>",
      description =
          "A materializer alone: how many other materializers keep a warm copy of each history"
              + " partition, to take it over at once when its owner fails (default: 0).")
  String standbyReplicas;

  @Option(
      names = "--session-timeout-ms",
      paramLabel = "<ms>",
      description =
          "A sequencer or materializer alone: how long Kafka waits for a silent member of its"
              + " group before moving its partitions (default: 10000).")
  String sessionTimeoutMs;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "<records>",
      description =
          "A sequencer: history records between two checkpoints of a partition; a takeover replays"
              + " at most about this many (default: 50000).")
  String checkpointEvery;
}

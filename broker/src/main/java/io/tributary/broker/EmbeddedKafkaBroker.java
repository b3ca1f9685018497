package io.tributary.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoters;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, bound to
 * loopback, keeping its data in a directory so that it survives a restart.
 *
 * <p>The controller quorum is dynamic (as {@code kafka-storage format --standalone}): the single
 * voter rewrites its own endpoint when it becomes leader, so the controller port can be 0.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int NODE_ID = 1;

  private final Path directory;
  private final int port;
  private KafkaRaftServer server;
  private int boundPort = -1;

  /**
   * @param directory where the broker keeps its logs; formatted on first use
   * @param port the client port on 127.0.0.1; 0 picks a free one
   */
  public EmbeddedKafkaBroker(Path directory, int port) {
    this.directory = directory;
    this.port = port;
  }

  /** Starts the broker; returns once it accepts clients. */
  public EmbeddedKafkaBroker start() {
    try {
      Files.createDirectories(directory);
      KafkaConfig config = KafkaConfig.fromProps(properties(), false);
      formatIfNeeded(config);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup(); // Blocks until the broker is registered and unfenced.
      boundPort = port != 0 ? port : readBoundPort(server);
      return this;
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /** The bootstrap address for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + boundPort;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put(
        "listeners",
        BROKER_LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:0");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:0");
    p.put("log.dirs", directory.toAbsolutePath().toString());
    // One node: every replication factor is 1.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Lets a sequencer choose a short session timeout, so a dead one is replaced quickly.
    p.put("group.min.session.timeout.ms", "1000");
    // The 128 MB default would dominate the heap of a small server.
    p.put("log.cleaner.dedupe.buffer.size", "8388608");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", Integer.toString(17 * 1024 * 1024));
    // Each request or network thread wakes every 300 ms when idle: the defaults (8 and 3) are
    // sized for a machine of its own, and cost an idle server more than the work does.
    p.put("num.io.threads", "2");
    p.put("num.network.threads", "1");
    // The controller appends a no-op to the metadata log this often, so that other nodes see it
    // alive (default 500 ms); with no other node that is work for nothing.
    p.put("metadata.max.idle.interval.ms", "5000");
    // After a kill -9 the controller, which restarts with the broker, holds the dead incarnation's
    // registration until its session expires, and the new broker cannot register before: with the
    // defaults (2 s heartbeats, 9 s sessions) that kept a restart waiting about 9 s. Broker and
    // controller live and die together here, so a session only needs to outlast a stall (a
    // broker fenced by a longer one is unfenced by its next heartbeat; clients retry meanwhile).
    p.put("broker.heartbeat.interval.ms", "250");
    p.put("broker.session.timeout.ms", "1000");
    p.put("num.recovery.threads.per.data.dir", "8");
    return p;
  }

  private void formatIfNeeded(KafkaConfig config) throws IOException {
    Path metaProperties = Path.of(config.metadataLogDir(), "meta.properties");
    if (Files.exists(metaProperties)) {
      return; // Formatted by an earlier start: keep its cluster id and data.
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(config.nodeId())
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(config.metadataLogDir()))
          .setMetadataLogDirectory(config.metadataLogDir())
          .setControllerListenerName(config.controllerListenerNames().get(0))
          .setUnstableFeatureVersionsEnabled(false)
          .setIgnoreFormatted(true)
          .setHasDynamicQuorum(true)
          .setInitialControllers(
              DynamicVoters.parse(config.nodeId() + "@127.0.0.1:0:" + Uuid.randomUuid()))
          .run();
    } catch (Exception e) {
      throw new IOException("cannot format " + directory + ": " + e.getMessage(), e);
    }
  }

  /** KafkaRaftServer keeps its BrokerServer in a private Scala field and offers no getter. */
  private static int readBoundPort(KafkaRaftServer server) throws ReflectiveOperationException {
    Field field = KafkaRaftServer.class.getDeclaredField("broker");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    scala.Option<BrokerServer> broker = (scala.Option<BrokerServer>) field.get(server);
    return broker.get().boundPort(ListenerName.normalised(BROKER_LISTENER));
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }
}

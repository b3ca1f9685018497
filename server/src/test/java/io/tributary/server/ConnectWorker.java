package io.tributary.server;

import static org.awaitility.Awaitility.await;

import io.tributary.testkit.RoleProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Kafka Connect worker in standalone mode, in a JVM of its own (its {@code main} exits the
 * JVM on errors, and its Jetty and Jersey stay out of the test's), running Debezium's JDBC sink
 * from {@code target/connect-plugins} with the configuration docs/integration.md gives.
 */
final class ConnectWorker implements AutoCloseable {

  static final String CONNECTOR = "tributary-mirror";
  static final Path PLUGINS = Path.of("target", "connect-plugins");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final RoleProcess process;
  private final int restPort;

  private ConnectWorker(RoleProcess process, int restPort) {
    this.process = process;
    this.restPort = restPort;
  }

  /** The sink's configuration: one table per entity, keyed by dataset and id. */
  static Map<String, String> sink(String topic, String jdbcUrl, String user) {
    Map<String, String> sink = new TreeMap<>();
    sink.put("name", CONNECTOR);
    sink.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
    sink.put("tasks.max", "1");
    sink.put("topics", topic);
    sink.put("connection.url", jdbcUrl);
    sink.put("connection.username", user);
    sink.put("insert.mode", "upsert");
    sink.put("delete.enabled", "true");
    sink.put("primary.key.mode", "record_key");
    sink.put("primary.key.fields", "dataset,id");
    sink.put("schema.evolution", "basic");
    sink.put("collection.name.format", "${source.entity}");
    sink.put("quote.identifiers", "true");
    sink.put("use.time.zone", "UTC");
    return sink;
  }

  /** Starts a worker on {@code bootstrap} with {@code sink} and waits until its task runs. */
  static ConnectWorker start(Path directory, String bootstrap, Map<String, String> sink)
      throws InterruptedException {
    try {
      int restPort = RoleProcess.freePort();
      Map<String, String> worker = new TreeMap<>();
      worker.put("bootstrap.servers", bootstrap);
      worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
      worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      worker.put("key.converter.schemas.enable", "true");
      worker.put("value.converter.schemas.enable", "true");
      worker.put("offset.storage.file.filename", directory.resolve("offsets").toString());
      worker.put("offset.flush.interval.ms", "1000");
      worker.put("plugin.path", PLUGINS.toAbsolutePath().toString());
      worker.put("plugin.discovery", "hybrid_warn");
      worker.put("listeners", "http://127.0.0.1:" + restPort);
      Path workerFile = write(directory.resolve("worker.properties"), worker);
      Path sinkFile = write(directory.resolve("sink.properties"), sink);
      RoleProcess process =
          RoleProcess.startMainWith(
              directory,
              "connect",
              List.of("-Xmx512m"),
              "org.apache.kafka.connect.cli.ConnectStandalone",
              workerFile.toString(),
              sinkFile.toString());
      ConnectWorker connect = new ConnectWorker(process, restPort);
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> {
                  if (!process.alive()) {
                    throw new AssertionError("Kafka Connect ended:\n" + process.output());
                  }
                  String status = connect.status();
                  return status.contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"");
                });
      } catch (RuntimeException | AssertionError e) {
        process.kill();
        throw e;
      }
      return connect;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The connector's status from the worker's REST API, as JSON. */
  String status() throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + restPort + "/connectors/" + CONNECTOR + "/status"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** What the worker logged: shown when the mirror does not converge. */
  String output() {
    return process.output();
  }

  private static Path write(Path file, Map<String, String> properties) throws IOException {
    StringBuilder text = new StringBuilder();
    properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return Files.writeString(file, text.toString());
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}

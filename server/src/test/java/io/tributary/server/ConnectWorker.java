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

  /**
   * The sink's configuration as docs/integration.md and compose.integration.yaml give it ({@code
   * examples/integration/connect/tributary-mirror.properties}), on this topic and database.
   */
  static Map<String, String> sink(String topic, String jdbcUrl, String user) {
    java.util.Properties file = new java.util.Properties();
    try (var in = Files.newBufferedReader(example("tributary-mirror.properties"))) {
      file.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> sink = new TreeMap<>();
    file.forEach((key, value) -> sink.put(key.toString(), value.toString()));
    sink.put("topics", topic);
    sink.put("connection.url", jdbcUrl);
    sink.put("connection.username", user);
    sink.remove("connection.password"); // The throw-away cluster trusts loopback.
    return sink;
  }

  private static Path example(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("examples/integration/connect").resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("examples/integration/connect/" + name + " not found");
  }

  /** Starts a worker on {@code bootstrap} with {@code sink} and waits until its task runs. */
  static ConnectWorker start(Path directory, String bootstrap, Map<String, String> sink)
      throws InterruptedException {
    try {
      Files.createDirectories(directory);
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

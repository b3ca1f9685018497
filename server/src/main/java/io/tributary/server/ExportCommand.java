package io.tributary.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.broker.EmbeddedKafkaBroker;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Entity;
import io.tributary.core.state.DatasetAtVersion;
import io.tributary.kafka.SchemaVersions;
import io.tributary.kafka.Topics;
import io.tributary.materializer.HistoryExport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sync-server export --dataset D [--at-version V]}: a dataset's objects at any server
 * version, rebuilt from history alone, as the admin port's export writes them ({@code {"Task":
 * [{"id": 1, ...}]}}, in the newest schema version's names).
 */
@Command(
    name = "export",
    description =
        "Writes a dataset's objects at a server version as JSON, rebuilt from history (no store"
            + " needed): from an existing cluster (--kafka-bootstrap), or from the embedded"
            + " broker's data while the server is stopped (--db-directory).")
final class ExportCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ExportCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Shows this help and exits.")
  boolean help;

  @Option(names = "--dataset", required = true, description = "The dataset to export.")
  String dataset;

  @Option(
      names = "--at-version",
      description = "The server version to export the dataset at (default: its latest).")
  Long atVersion;

  @Option(
      names = "--kafka-bootstrap",
      description = "The Kafka cluster the history is on (default: the embedded broker's data).")
  String kafkaBootstrap;

  @Option(
      names = {"-d", "--db-directory"},
      description =
          "The server's data directory, for the embedded broker (default: tributary-data).")
  Path dbDirectory = Path.of("tributary-data");

  @Option(names = "--topic-prefix", description = "The topics' prefix (default: tributary).")
  String topicPrefix = "tributary";

  @Option(
      names = {"-o", "--output"},
      description = "Where the JSON goes (default: standard output).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (output == null) {
      LogLevels.set(Optional.empty(), "error"); // Standard output is the JSON's.
    }
    Topics topics = new Topics(topicPrefix, 1, (short) 1);
    EmbeddedKafkaBroker broker = kafkaBootstrap == null ? embeddedBroker() : null;
    try {
      String bootstrap = broker == null ? kafkaBootstrap : broker.bootstrapServers();
      long version = atVersion == null ? Long.MAX_VALUE : atVersion;
      long started = System.nanoTime();
      DatasetAtVersion state = HistoryExport.read(bootstrap, topics, dataset, version);
      if (state.head() == 0) {
        throw new IllegalArgumentException("the dataset " + dataset + " has no history");
      }
      if (atVersion != null && state.head() < atVersion) {
        throw new IllegalArgumentException(
            "the dataset "
                + dataset
                + " is at version "
                + state.head()
                + ": there is no version "
                + atVersion);
      }
      SchemaVersions.Version schema =
          new SchemaVersions(bootstrap, topics)
              .current()
              .orElseThrow(() -> new IllegalStateException("there is no schema version yet"));
      long objects = write(state.objects(), schema);
      LOG.info(
          "Exported dataset {} at version {}: {} objects in {} ms",
          dataset,
          state.head(),
          objects,
          (System.nanoTime() - started) / 1_000_000);
      return 0;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private EmbeddedKafkaBroker embeddedBroker() {
    Path kafka = dbDirectory.resolve("kafka");
    if (!Files.isDirectory(kafka)) {
      throw new IllegalArgumentException(
          "no embedded broker's data in "
              + dbDirectory
              + ": give --db-directory or --kafka-bootstrap");
    }
    try {
      return new EmbeddedKafkaBroker(kafka, 0).start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot open the embedded broker's data in "
              + kafka
              + " (is the server running on it? then export with --kafka-bootstrap from its"
              + " cluster, or stop it first): "
              + Main.oneLine(e));
    }
  }

  /** Writes the objects entity by entity, in the current names; returns how many. */
  private long write(
      SortedMap<ObjectKey, SortedMap<String, Value>> objects, SchemaVersions.Version schema)
      throws IOException {
    long written = 0;
    OutputStream out = output == null ? System.out : Files.newOutputStream(output);
    try (JsonGenerator json =
        JSON.getFactory()
            .createGenerator(out, JsonEncoding.UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // Not standard output.
      json.writeStartObject();
      for (Entity entity : schema.model().entities()) {
        String stored = schema.renames().entityToStored(entity.name());
        json.writeArrayFieldStart(entity.name());
        for (Map.Entry<ObjectKey, SortedMap<String, Value>> object :
            objects.tailMap(new ObjectKey(stored, Long.MIN_VALUE)).entrySet()) {
          if (!object.getKey().entity().equals(stored)) {
            break; // Sorted by entity, then id: the entity's objects are all behind.
          }
          json.writeTree(
              AdminApi.object(
                  Map.entry(object.getKey().id(), object.getValue()), stored, schema.renames()));
          written++;
        }
        json.writeEndArray();
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } finally {
      if (output != null) {
        out.close();
      } else {
        out.flush();
      }
    }
    return written;
  }
}

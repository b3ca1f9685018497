package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.client.Transaction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Entity;
import io.tributary.kafka.SchemaVersions;
import io.tributary.testkit.ThrowAwayPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way out, with real parts: SDK clients write at random (creates, updates, counters,
 * links, list edits, erases, then a rename of a property), the materializer publishes change
 * events, a real Kafka Connect worker runs Debezium's JDBC sink, and the tables of a real
 * PostgreSQL end up equal to the materializer's state. Skips where PostgreSQL is not installed.
 *
 * <p>{@code -Dmirror.seed=S} replays a run.
 */
class PostgresMirrorTest {

  private static final List<String> DATASETS = List.of("mirror-a", "mirror-b");
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @RegisterExtension final RunningServer server = new RunningServer().withChangeEvents();
  @TempDir Path work;
  private ThrowAwayPostgres postgres;
  private ConnectWorker connect;
  private final List<SyncClient> clients = new ArrayList<>();

  @BeforeEach
  void startPostgresAndConnect() throws Exception {
    Assumptions.assumeTrue(
        ThrowAwayPostgres.binaries().isPresent(),
        "PostgreSQL is not installed (apt-get install postgresql)");
    postgres = ThrowAwayPostgres.start("mirror");
    connect =
        ConnectWorker.start(
            work,
            server.syncServer().kafkaBootstrap(),
            ConnectWorker.sink(
                server.topics().changes(), postgres.jdbcUrl("mirror"), postgres.user()));
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(SyncClient::close);
    if (connect != null) {
      connect.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theTablesEqualTheMaterializedStateAfterRandomWrites() throws Exception {
    long seed = Long.getLong("mirror.seed", System.nanoTime());
    System.out.println("PostgresMirrorTest seed " + seed + " (-Dmirror.seed=" + seed + ")");
    Random random = new Random(seed);
    for (String dataset : DATASETS) {
      clients.add(connected(dataset));
      clients.add(connected(dataset));
    }
    for (int step = 0; step < 120; step++) {
      SyncClient client = clients.get(random.nextInt(clients.size()));
      client.write(randomWrite(random, "text"));
    }
    awaitSynced();
    assertThat(awaitMirrored(server.syncServer().schemaVersion())).isPositive();

    // Another gateway starts with a model that calls "text" "title": the tables follow.
    SchemaVersions.Version renamed =
        new SchemaVersions(server.syncServer().kafkaBootstrap(), server.topics())
            .register(
                io.tributary.core.model.ModelParser.parse(
                    java.nio.file.Files.readString(io.tributary.testkit.Fixtures.exampleModel())
                        .replace("\"name\": \"text\"", "\"name\": \"title\""),
                    "renamed"));
    await().atMost(PATIENCE).until(() -> server.syncServer().currentSchemaVersion() == 2);
    assertThat(awaitMirrored(renamed)).isPositive(); // Before anything is written again.
    for (int step = 0; step < 40; step++) {
      SyncClient client = clients.get(random.nextInt(clients.size()));
      client.write(randomWrite(random, "title"));
    }
    awaitSynced();
    assertThat(awaitMirrored(renamed)).isPositive();
  }

  private SyncClient connected(String dataset) {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), dataset);
    client.connect().join();
    await().atMost(PATIENCE).until(() -> client.clientIdent() != 0);
    return client;
  }

  /** One transaction of one to three random changes to a few tasks and tags. */
  private static Consumer<Transaction> randomWrite(Random random, String textProperty) {
    List<Consumer<Transaction>> changes = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      long task = 1 + random.nextInt(8);
      long tag = 1 + random.nextInt(4);
      String word = "w" + random.nextInt(1000);
      changes.add(
          switch (random.nextInt(10)) {
            case 0 -> tx -> tx.create("Task", task).set("Task", task, textProperty, Value.of(word));
            case 1 -> tx -> tx.create("Task", task).set("Task", task, "done", Value.of(true));
            case 2 -> tx -> tx.create("Task", task).add("Task", task, "priority", 1);
            case 3 ->
                tx ->
                    tx.create("Tag", tag)
                        .set("Tag", tag, "name", Value.of(word))
                        .create("Task", task)
                        .link("Task", task, "tags", tag);
            case 4 -> tx -> tx.create("Task", task).unlink("Task", task, "tags", tag);
            case 5 ->
                tx ->
                    tx.create("Task", task).insertAt("Task", task, "checklist", 0, Value.of(word));
            case 6 -> tx -> tx.erase("Task", task);
            case 7 -> tx -> tx.erase("Tag", tag);
            default -> tx -> tx.create("Task", task).set("Task", task, "priority", Value.of(5));
          });
    }
    return tx -> changes.forEach(change -> change.accept(tx));
  }

  private void awaitSynced() throws InterruptedException {
    for (SyncClient client : clients) {
      assertThat(client.awaitSynced(PATIENCE)).isTrue();
      assertThat(client.errors()).isEmpty();
    }
  }

  /**
   * Waits until every table holds exactly the store's objects, under the model's names; returns how
   * many rows that is.
   */
  private int awaitMirrored(SchemaVersions.Version schema) {
    try {
      await()
          .atMost(PATIENCE)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                for (String dataset : DATASETS) {
                  for (Entity entity : schema.model().entities()) {
                    assertThat(rows(dataset, entity))
                        .as("table %s of %s", entity.name(), dataset)
                        .isEqualTo(expected(dataset, entity, schema));
                  }
                }
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "\nKafka Connect said:\n" + tail(connect.output()), e);
    }
    int rows = 0;
    for (String dataset : DATASETS) {
      for (Entity entity : schema.model().entities()) {
        rows += expected(dataset, entity, schema).size();
      }
    }
    return rows;
  }

  /** The store's objects of an entity, each as its columns' values in text. */
  private Map<Long, Map<String, String>> expected(
      String dataset, Entity entity, SchemaVersions.Version schema) {
    String stored = schema.renames().entityToStored(entity.name());
    Map<Long, Map<String, String>> objects = new TreeMap<>();
    server
        .syncServer()
        .store()
        .objects(dataset)
        .forEach(
            (key, properties) -> {
              if (key.entity().equals(stored)) {
                objects.put(key.id(), columns(entity, key, properties, schema));
              }
            });
    return objects;
  }

  private static Map<String, String> columns(
      Entity entity, ObjectKey key, SortedMap<String, Value> properties, SchemaVersions.Version v) {
    Map<String, Value> current = new TreeMap<>();
    properties.forEach(
        (name, value) ->
            current.put(v.renames().memberToCurrent(key.entity(), name).orElse(name), value));
    Map<String, String> columns = new TreeMap<>();
    columns.put("dataset", null);
    for (String name : memberNames(entity)) {
      columns.put(name, text(current.get(name)));
    }
    columns.put(entity.idProperty().name(), Long.toString(key.id()));
    columns.remove("dataset");
    return columns;
  }

  private static List<String> memberNames(Entity entity) {
    List<String> names = new ArrayList<>();
    entity.properties().forEach(property -> names.add(property.name()));
    entity.relations().forEach(relation -> names.add(relation.name()));
    return names;
  }

  private static String text(Value value) {
    if (value == null) {
      return null;
    } else if (value instanceof Value.Text text) {
      return text.value();
    } else if (value instanceof Value.Int integer) {
      return Long.toString(integer.value());
    } else if (value instanceof Value.Bool bool) {
      return Boolean.toString(bool.value());
    } else if (value instanceof Value.Float real) {
      return Double.toString(real.value());
    } else if (value instanceof Value.Ids ids) {
      return ids.ids().toString();
    } else if (value instanceof Value.Vector vector) {
      return vector.elements().stream().map(PostgresMirrorTest::text).toList().toString();
    }
    return value.toString();
  }

  /** The table's rows of a dataset, each as its columns' values in text; none if no table yet. */
  private Map<Long, Map<String, String>> rows(String dataset, Entity entity) throws SQLException {
    Map<Long, Map<String, String>> rows = new TreeMap<>();
    try (Connection db =
            DriverManager.getConnection(postgres.jdbcUrl("mirror"), postgres.user(), "");
        PreparedStatement query =
            db.prepareStatement(
                "select * from \"" + entity.name() + "\" where dataset = ? order by id")) {
      query.setString(1, dataset);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          Map<String, String> columns = new TreeMap<>();
          for (String name : memberNames(entity)) {
            columns.put(name, text(result.getObject(name)));
          }
          rows.put(result.getLong("id"), columns);
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return rows; // No table yet: nothing of this entity was ever written.
      }
      throw e;
    }
    return rows;
  }

  private static String text(Object column) throws SQLException {
    if (column == null) {
      return null;
    } else if (column instanceof Array array) {
      return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList().toString();
    }
    return column.toString();
  }

  private static String tail(String text) {
    return text.length() <= 6_000 ? text : text.substring(text.length() - 6_000);
  }
}

package io.tributary.server;

import io.tributary.client.SyncClient;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Permissions;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.gateway.Authenticator;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.ThrowAwayPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The integration paths, each next to the sync path measured in the same run (this machine is
 * shared and noisy): one server with its embedded broker, change events on and the backend API, a
 * throw-away PostgreSQL and a Kafka Connect worker with Debezium's JDBC sink. Run:
 *
 * <pre>
 * bench/integration.sh 200
 * </pre>
 *
 * One change at a time, each measured from the write to its arrival: client → other client (the
 * baseline), client → row in PostgreSQL, backend write → client; then a burst of changesets, the
 * rate the materializer applies them (baseline) and emits their change events.
 */
public final class IntegrationBenchmark {

  private static final String KEY = "benchmark-key-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path work = Files.createTempDirectory("tributary-integration-bench-");
    Topics topics = Topics.defaults();
    try (SyncServer server =
            SyncServer.start(
                new SyncServer.Options(
                        work.resolve("server"),
                        Main.loadModel(Fixtures.exampleModel()),
                        "127.0.0.1",
                        0,
                        null,
                        topics)
                    .withChangeEvents(true)
                    .withBackendApi(
                        new SyncServer.BackendApiOptions(
                            "127.0.0.1",
                            0,
                            new Admission(
                                Authenticator.apiKeys(Map.of("bench", KEY)),
                                Permissions.DEFAULTS))));
        ThrowAwayPostgres postgres = ThrowAwayPostgres.start("mirror");
        ConnectWorker connect =
            ConnectWorker.start(
                work.resolve("connect"),
                server.kafkaBootstrap(),
                ConnectWorker.sink(topics.changes(), postgres.jdbcUrl("mirror"), postgres.user()));
        Connection db =
            DriverManager.getConnection(postgres.jdbcUrl("mirror"), postgres.user(), "")) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port());
      String dataset = "bench";
      try (SyncClient writer = connected(uri, dataset);
          SyncClient reader = connected(uri, dataset)) {
        int warmup = samples / 4;
        long[] sync = new long[samples];
        long[] toPostgres = new long[samples];
        long[] fromBackend = new long[samples];
        for (int i = -warmup; i < samples; i++) {
          long id = 10_000 + i + warmup;
          long started = System.nanoTime();
          writer.write(tx -> tx.create("Task", id).set("Task", id, "text", Value.of("sync")));
          await(() -> reader.get(new ObjectKey("Task", id)).isPresent());
          long arrived = System.nanoTime();
          await(() -> rowExists(db, dataset, id));
          long mirrored = System.nanoTime();
          if (i >= 0) {
            sync[i] = arrived - started;
            toPostgres[i] = mirrored - started;
          }
        }
        for (int i = -warmup; i < samples; i++) {
          long id = 50_000 + i + warmup;
          long started = System.nanoTime();
          backendWrite(server.backendApiPort(), dataset, id);
          await(() -> reader.get(new ObjectKey("Task", id)).isPresent());
          if (i >= 0) {
            fromBackend[i] = System.nanoTime() - started;
          }
        }
        System.out.println("client -> client (baseline): " + summary(sync));
        System.out.println("client -> PostgreSQL row:    " + summary(toPostgres));
        System.out.println("backend -> client:           " + summary(fromBackend));
      }
      burst(server, uri, topics);
    }
    System.exit(0);
  }

  /** A burst of changesets: how fast the store applies them, and how fast their events leave. */
  private static void burst(SyncServer server, URI uri, Topics topics) throws Exception {
    int count = 20_000;
    String dataset = "burst";
    try (SyncClient writer = connected(uri, dataset);
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrap()))) {
      long eventsBefore = endOffsets(admin, topics);
      writer.disconnect();
      for (int i = 0; i < count; i++) {
        long id = 1 + i;
        writer.write(tx -> tx.create("Task", id).set("Task", id, "priority", Value.of(id)));
      }
      long started = System.nanoTime();
      writer.connect().join();
      await(() -> server.store().head(dataset) >= count);
      long applied = System.nanoTime();
      await(() -> endOffsets(admin, topics) - eventsBefore >= count);
      long emitted = System.nanoTime();
      System.out.printf(
          "burst of %d changesets: applied %.0f/s (baseline), change events emitted %.0f/s%n",
          count, count / seconds(applied - started), count / seconds(emitted - started));
    }
  }

  private static long endOffsets(Admin admin, Topics topics) {
    Map<TopicPartition, OffsetSpec> partitions = new java.util.HashMap<>();
    for (int p = 0; p < topics.partitions(); p++) {
      partitions.put(new TopicPartition(topics.changes(), p), OffsetSpec.latest());
    }
    try {
      return admin.listOffsets(partitions).all().get().values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void backendWrite(int port, String dataset, long id) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/v1/datasets/" + dataset + "/changesets"))
                .header("Authorization", "Bearer " + KEY)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": "
                            + id
                            + ", \"values\": {\"text\": \"backend\"}}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "backend write: " + response.statusCode() + " " + response.body());
    }
  }

  private static boolean rowExists(Connection db, String dataset, long id) {
    try (PreparedStatement query =
        db.prepareStatement("select 1 from \"Task\" where dataset = ? and id = ?")) {
      query.setString(1, dataset);
      query.setLong(2, id);
      try (ResultSet result = query.executeQuery()) {
        return result.next();
      }
    } catch (java.sql.SQLException e) {
      return false; // No table yet.
    }
  }

  private static SyncClient connected(URI uri, String dataset) {
    SyncClient client = new SyncClient(uri, dataset);
    client.connect().join();
    await(() -> client.clientIdent() != 0);
    return client;
  }

  /** Polls every half millisecond, for at most a minute. */
  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within a minute");
      }
      LockSupport.parkNanos(500_000);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms",
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}

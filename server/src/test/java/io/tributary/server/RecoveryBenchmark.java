package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recovery from a kill -9 of the all-in-one server, as clients see it: {@code bench/recovery.sh
 * [clients] [rounds]}. Clients write all along; the server is killed and started again on its data;
 * each client writes a marker while it is down. Measured: kill to "Sync listening", and from "Sync
 * listening" until every client holds every client's marker and every object any client wrote
 * (nothing lost).
 */
public final class RecoveryBenchmark {

  private static final long MARKERS = 1_000_000_000L;
  private static final Duration POLL = Duration.ofMillis(10);

  public static void main(String[] args) throws Exception {
    int clientCount = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path data = Files.createTempDirectory("recovery-bench");
    int port = RoleProcess.freePort();
    String[] serverArgs = {
      "--model",
      Fixtures.exampleModel().toString(),
      "--unsecured-no-authentication",
      "--db-directory",
      data.resolve("db").toString(),
      "--bind",
      "ws://127.0.0.1:" + port,
      "--admin-off"
    };
    // A first run that ends cleanly leaves the class archive that later starts map (sync-server).
    RoleProcess first = start(data, serverArgs, 0);
    awaitListening(first, System.nanoTime());
    first.close();
    long started = System.nanoTime();
    RoleProcess server = start(data, serverArgs, 0);
    System.out.printf(
        "clean restart to listening: %,d ms%n",
        (awaitListening(server, started) - started) / 1_000_000);
    List<SyncClient> clients = new ArrayList<>();
    for (int i = 0; i < clientCount; i++) {
      SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + port), "recovery");
      client.connect().join();
      clients.add(client);
    }
    AtomicLong written = new AtomicLong();
    ScheduledExecutorService writers = Executors.newSingleThreadScheduledExecutor();
    writers.scheduleAtFixedRate(
        () -> {
          for (int i = 0; i < clients.size(); i++) {
            long id = written.incrementAndGet();
            clients.get(i).write(tx -> tx.create("Task", id));
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    for (int round = 1; round <= rounds; round++) {
      // A load to kill it under: each client writes 100 more (about 10 s).
      long loaded = written.get() + 100L * clientCount;
      await().atMost(Duration.ofMinutes(2)).pollInterval(POLL).until(() -> written.get() >= loaded);
      long killed = System.nanoTime();
      server.kill();
      for (int i = 0; i < clients.size(); i++) {
        long marker = MARKERS + round * 1_000L + i;
        clients.get(i).write(tx -> tx.create("Task", marker));
      }
      server = start(data, serverArgs, round);
      long listening = awaitListening(server, killed);
      List<Long> synced = awaitMarkers(clients, round, listening);
      Collections.sort(synced);
      System.out.printf(
          "round %d: kill -9 to listening %,d ms; listening to every client synced: p50 %,d ms, max %,d ms%n",
          round,
          (listening - killed) / 1_000_000,
          synced.get(synced.size() / 2) / 1_000_000,
          synced.get(synced.size() - 1) / 1_000_000);
    }
    writers.shutdownNow();
    writers.awaitTermination(5, TimeUnit.SECONDS);
    long expected = written.get() + (long) rounds * clientCount;
    for (SyncClient client : clients) {
      if (!client.awaitSynced(Duration.ofMinutes(1))) {
        throw new IllegalStateException("a client did not sync its last writes");
      }
    }
    for (SyncClient client : clients) {
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(POLL)
          .untilAsserted(
              () ->
                  assertThat(client.objectsOf("Task")).as("objects held").hasSize((int) expected));
    }
    System.out.printf("nothing lost: every client holds all %,d objects written%n", expected);
    for (SyncClient client : clients) {
      client.close();
    }
    server.close();
    System.exit(0);
  }

  /** The server as users run it: {@code ./sync-server} of this build, its JVM options and all. */
  private static RoleProcess start(Path data, String[] args, int round) {
    Path root = Fixtures.exampleModel().getParent().getParent().getParent();
    List<String> command = new ArrayList<>(List.of(root.resolve("sync-server").toString()));
    command.addAll(List.of(args));
    return RoleProcess.startProgram(
        data.resolve("logs"), "server-" + round + "-" + System.nanoTime(), command);
  }

  private static long awaitListening(RoleProcess server, long since) {
    await()
        .atMost(Duration.ofNanos(since + TimeUnit.MINUTES.toNanos(2) - System.nanoTime()))
        .pollInterval(POLL)
        .until(() -> server.output().contains("Sync listening") || !server.alive());
    if (!server.alive()) {
      throw new IllegalStateException("the server did not come back:\n" + server.output());
    }
    return System.nanoTime();
  }

  /** For each client, how long after {@code from} it held every marker of this round. */
  private static List<Long> awaitMarkers(List<SyncClient> clients, int round, long from) {
    List<Long> synced = new ArrayList<>();
    List<SyncClient> waiting = new ArrayList<>(clients);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(POLL)
        .until(
            () -> {
              for (var it = waiting.iterator(); it.hasNext(); ) {
                if (holdsMarkers(it.next(), round, clients.size())) {
                  synced.add(System.nanoTime() - from);
                  it.remove();
                }
              }
              return waiting.isEmpty();
            });
    return synced;
  }

  private static boolean holdsMarkers(SyncClient client, int round, int count) {
    var objects = client.objects();
    for (int i = 0; i < count; i++) {
      if (!objects.containsKey(new ObjectKey("Task", MARKERS + round * 1_000L + i))) {
        return false;
      }
    }
    return true;
  }
}

package io.tributary.server;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
    RoleProcess server = start(data, serverArgs, 0);
    awaitListening(server, System.nanoTime());
    List<SyncClient> clients = new ArrayList<>();
    for (int i = 0; i < clientCount; i++) {
      SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + port), "recovery");
      client.connect().join();
      if (i == 0 && Boolean.getBoolean("recovery.trace")) {
        client.onConnectionState(
            state ->
                System.out.printf("round trace: %d %s%n", System.nanoTime() / 1_000_000, state));
      }
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
      Thread.sleep(10_000); // A load to kill it under.
      long killed = System.nanoTime();
      if (Boolean.getBoolean("recovery.trace")) {
        System.out.printf("round trace: %d killed%n", killed / 1_000_000);
      }
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
      if (!client.awaitSynced(java.time.Duration.ofMinutes(1))) {
        throw new IllegalStateException("a client did not sync its last writes");
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (SyncClient client : clients) {
      while (client.objectsOf("Task").size() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (client.objectsOf("Task").size() != expected) {
        throw new IllegalStateException(
            "a client holds " + client.objectsOf("Task").size() + " of " + expected + " objects");
      }
    }
    System.out.printf("nothing lost: every client holds all %,d objects written%n", expected);
    for (SyncClient client : clients) {
      client.close();
    }
    server.close();
    System.exit(0);
  }

  private static RoleProcess start(Path data, String[] args, int round) {
    return RoleProcess.startAsShipped(data.resolve("logs"), "server-" + round, args);
  }

  private static long awaitListening(RoleProcess server, long since) throws InterruptedException {
    long deadline = since + TimeUnit.MINUTES.toNanos(2);
    while (!server.output().contains("Sync listening")) {
      if (System.nanoTime() > deadline || !server.alive()) {
        throw new IllegalStateException("the server did not come back:\n" + server.output());
      }
      Thread.sleep(10);
    }
    return System.nanoTime();
  }

  /** For each client, how long after {@code from} it held every marker of this round. */
  private static List<Long> awaitMarkers(List<SyncClient> clients, int round, long from)
      throws InterruptedException {
    List<Long> synced = new ArrayList<>();
    List<SyncClient> waiting = new ArrayList<>(clients);
    long deadline = from + TimeUnit.MINUTES.toNanos(2);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(waiting.size() + " clients did not sync in 2 minutes");
      }
      for (var it = waiting.iterator(); it.hasNext(); ) {
        SyncClient client = it.next();
        if (holdsMarkers(client, round, clients.size())) {
          synced.add(System.nanoTime() - from);
          it.remove();
        }
      }
      Thread.sleep(10);
    }
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

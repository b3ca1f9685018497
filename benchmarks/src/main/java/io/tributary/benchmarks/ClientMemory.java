package io.tributary.benchmarks;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The heap a client needs for a dataset of {@code objects} small tasks, with its copy in memory and
 * with its copy in RocksDB, measured after a full GC. Run:
 *
 * <pre>
 * java -Xmx4g -cp "benchmarks/target/*:benchmarks/target/lib/*" io.tributary.benchmarks.ClientMemory 1000000
 * </pre>
 */
public final class ClientMemory {

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean persistent = args.length > 1 && args[1].equals("rocksdb");
    long empty = usedHeap();
    Path directory = Files.createTempDirectory("tributary-client-memory-");
    URI nowhere = URI.create("ws://127.0.0.1:1");
    try (SyncClient client =
        persistent
            ? SyncClient.persistent(nowhere, "memory", null, directory)
            : new SyncClient(nowhere, "memory")) {
      fill(client, objects);
      System.out.printf(
          "%s: %,d objects written offline (so all still pending), %.0f MB of heap%n",
          persistent ? "In RocksDB" : "In memory", objects, (usedHeap() - empty) / 1e6);
    }
  }

  /** Writes the objects in transactions of 1,000, as an app importing data would. */
  private static void fill(SyncClient client, int objects) {
    for (int first = 1; first <= objects; first += 1_000) {
      int start = first;
      client.write(
          tx -> {
            for (long id = start; id < start + 1_000 && id <= objects; id++) {
              tx.create("Task", id).set("Task", id, "priority", Value.of(id));
            }
          });
    }
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private ClientMemory() {}
}

package io.tributary.server;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SDK clients writing counted changes: each write creates an object of its own (id: the client's
 * number times a million plus its count) and adds 1 to its dataset's shared counter (Task 1's
 * priority), in one transaction. So in every dataset, once quiet, the counter must equal the number
 * of objects written: fewer objects means a change lost, a higher counter a change applied twice.
 */
final class CountedClients implements AutoCloseable {

  static final ObjectKey COUNTER = new ObjectKey("Task", 1);
  private static final long IDS_PER_CLIENT = 1_000_000;

  /** One client, what it wrote, and when each write not yet acknowledged was made. */
  private static final class Writer {
    final int number;
    final String dataset;
    final SyncClient client;
    final Deque<Long> unacknowledgedSince = new ArrayDeque<>();
    long written;

    Writer(int number, String dataset, SyncClient client) {
      this.number = number;
      this.dataset = dataset;
      this.client = client;
    }
  }

  private final List<Writer> writers = new ArrayList<>();
  private final List<String> datasets;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong longestUnacknowledgedNanos = new AtomicLong();
  private volatile boolean writing;

  /**
   * {@code count} clients over {@code datasets}, spread over {@code gateways}; each dataset's
   * counter is created first, by its first client, and every client holds it before it writes.
   */
  CountedClients(int count, List<String> datasets, List<URI> gateways) {
    this.datasets = List.copyOf(datasets);
    for (int i = 0; i < count; i++) {
      String dataset = datasets.get(i % datasets.size());
      SyncClient client = new SyncClient(gateways.get(i % gateways.size()), dataset);
      client.connect();
      writers.add(new Writer(i + 1, dataset, client));
    }
    for (int i = 0; i < datasets.size() && i < count; i++) {
      Writer first = writers.get(i);
      first.client.write(tx -> tx.create("Task", 1).set("Task", 1, "priority", Value.of(0L)));
      first.unacknowledgedSince.addLast(System.nanoTime());
    }
  }

  /** Whether every client holds its dataset's counter, so that it can add to it. */
  boolean holdCounters() {
    return writers.stream().allMatch(w -> w.client.get(COUNTER).isPresent());
  }

  /** Each client writes every {@code periodMillis}, from now until {@link #pause()}. */
  void writeEvery(long periodMillis) {
    clock.scheduleAtFixedRate(this::tick, 0, periodMillis, TimeUnit.MILLISECONDS);
    clock.scheduleAtFixedRate(this::sampleAcknowledgements, 0, 20, TimeUnit.MILLISECONDS);
    writing = true;
  }

  void pause() {
    writing = false;
  }

  void resume() {
    writing = true;
  }

  private void tick() {
    if (!writing) {
      return;
    }
    for (Writer writer : writers) {
      long id = writer.number * IDS_PER_CLIENT + writer.written + 1;
      try {
        writer.client.write(tx -> tx.create("Task", id).add("Task", 1, "priority", 1));
      } catch (RuntimeException e) {
        continue; // The writer's copy is being reset: it writes again at the next tick.
      }
      synchronized (writer) {
        writer.written++;
        writer.unacknowledgedSince.addLast(System.nanoTime());
      }
    }
  }

  /** Acknowledgements come in order: the pending count says how many writes are still waiting. */
  private void sampleAcknowledgements() {
    long now = System.nanoTime();
    for (Writer writer : writers) {
      synchronized (writer) {
        int pending = writer.client.pendingCount();
        while (writer.unacknowledgedSince.size() > pending) {
          long since = writer.unacknowledgedSince.removeFirst();
          longestUnacknowledgedNanos.accumulateAndGet(now - since, Math::max);
        }
        if (!writer.unacknowledgedSince.isEmpty()) {
          longestUnacknowledgedNanos.accumulateAndGet(
              now - writer.unacknowledgedSince.peekFirst(), Math::max);
        }
      }
    }
  }

  /** The longest a write has waited for its acknowledgement so far. */
  long longestUnacknowledgedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(longestUnacknowledgedNanos.get());
  }

  long written() {
    return writers.stream().mapToLong(w -> w.written).sum();
  }

  List<String> datasets() {
    return datasets;
  }

  /** What a dataset must hold once quiet: every object written to it, and the counter at that. */
  SortedMap<Long, Long> expectedObjects(String dataset) {
    SortedMap<Long, Long> ids = new TreeMap<>();
    for (Writer writer : writers) {
      if (writer.dataset.equals(dataset)) {
        for (long n = 1; n <= writer.written; n++) {
          ids.put(writer.number * IDS_PER_CLIENT + n, (long) writer.number);
        }
      }
    }
    return ids;
  }

  /** Clients whose copy of {@code dataset} is not {@code state}, or who have changes pending. */
  List<String> divergentFrom(String dataset, Map<String, String> state) {
    List<String> divergent = new ArrayList<>();
    for (Writer writer : writers) {
      if (!writer.dataset.equals(dataset)) {
        continue;
      }
      Map<String, String> copy =
          io.tributary.testkit.States.flatten(
              io.tributary.core.state.StateJson.of(writer.client.objects()));
      if (writer.client.pendingCount() > 0 || !copy.equals(state)) {
        divergent.add(
            "client "
                + writer.number
                + " ("
                + writer.client.pendingCount()
                + " pending, at "
                + writer.client.serverVersion()
                + ", ident "
                + writer.client.clientIdent()
                + ", last client version "
                + writer.client.lastClientVersion()
                + ", only here: "
                + difference(copy, state)
                + ", only in the store: "
                + difference(state, copy)
                + ", errors: "
                + writer.client.errors()
                + ")");
      }
    }
    return divergent;
  }

  private static List<String> difference(Map<String, String> some, Map<String, String> other) {
    return some.entrySet().stream()
        .filter(e -> !e.getValue().equals(other.get(e.getKey())))
        .map(e -> e.getKey() + "=" + e.getValue())
        .limit(5)
        .toList();
  }

  @Override
  public void close() {
    clock.shutdownNow();
    writers.forEach(w -> w.client.close());
  }
}

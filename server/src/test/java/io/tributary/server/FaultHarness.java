package io.tributary.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.testkit.States;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Faults under load on a real multi-process cluster ({@link FaultCluster}): 50 SDK clients write
 * counted changes ({@link CountedClients}) while roles are killed -9 and started again, the broker
 * too, and sequencers and materializers are frozen (SIGSTOP) and thawed. After each fault the
 * writers pause, and the harness waits until every client holds everything written and equals the
 * store, then counts what was lost, applied twice or divergent. At the end it audits history as
 * every reader accepts it ({@link HistoryAudit}).
 *
 * <p>{@code bench/faults.sh [kills per role] [broker kills] [freezes per role] [freeze seconds]}
 * runs the full schedule; {@code FaultHarnessTest} a short one in CI. {@code -Dfaults.seed=S}
 * replays a run's order and moments.
 */
final class FaultHarness {

  /** A fault: what is done to which member. */
  record Fault(String action, String member) {
    @Override
    public String toString() {
      return action + " " + member;
    }
  }

  /**
   * What the harness found after a fault.
   *
   * @param recoveryMillis from the fault until every client had everything
   * @param settleMillis from the clients' last write until every client had everything
   */
  record Outcome(Fault fault, long recoveryMillis, long settleMillis, Check check) {}

  /** The state of every dataset once quiet. */
  record Check(
      long lost, long extra, long appliedTwice, List<String> divergent, List<Long> missing) {
    boolean clean() {
      return lost == 0 && extra == 0 && appliedTwice == 0 && divergent.isEmpty();
    }
  }

  /** The whole run. */
  record Report(
      List<Outcome> outcomes,
      long written,
      long longestUnacknowledgedMillis,
      HistoryAudit.Findings audit,
      long seed) {

    boolean clean() {
      return outcomes.stream().allMatch(o -> o.check().clean()) && audit.clean();
    }
  }

  static final int CLIENTS = 50;
  private static final long WRITE_PERIOD_MILLIS = 500;
  private static final Duration CONVERGENCE = Duration.ofMinutes(5);

  /** How long the clients go on writing after a killed member was started again. */
  private static final Duration WRITING_THROUGH = Duration.ofSeconds(5);

  private final Path work;
  private final PrintStream out;
  private final Duration freeze;
  private final Random random;
  private final long seed;

  FaultHarness(Path work, PrintStream out, Duration freeze, long seed) {
    this.work = work;
    this.out = out;
    this.freeze = freeze;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** The faults of a schedule, in a random order. */
  List<Fault> schedule(int killsPerRole, int brokerKills, int freezesPerRole) {
    List<Fault> faults = new ArrayList<>();
    for (String kind : List.of("gateway", "sequencer", "materializer")) {
      for (int i = 0; i < killsPerRole; i++) {
        faults.add(new Fault("kill -9", kind + "-" + (1 + random.nextInt(2))));
      }
    }
    for (int i = 0; i < brokerKills; i++) {
      faults.add(new Fault("kill -9", "broker"));
    }
    for (String kind : List.of("sequencer", "materializer")) {
      for (int i = 0; i < freezesPerRole; i++) {
        faults.add(new Fault("freeze", kind + "-" + (1 + random.nextInt(2))));
      }
    }
    Collections.shuffle(faults, random);
    return faults;
  }

  Report run(List<Fault> faults) throws Exception {
    out.printf("fault harness: %d faults, seed %d (-Dfaults.seed=%d)%n", faults.size(), seed, seed);
    List<Outcome> outcomes = new ArrayList<>();
    try (FaultCluster cluster = new FaultCluster(work, Duration.ofSeconds(3)).start();
        CountedClients clients = new CountedClients(CLIENTS, datasets(), cluster.gateways())) {
      await().atMost(Duration.ofMinutes(2)).until(clients::holdCounters);
      clients.writeEvery(WRITE_PERIOD_MILLIS);
      try {
        for (Fault fault : faults) {
          outcomes.add(inject(cluster, clients, fault));
        }
        HistoryAudit.Findings audit =
            HistoryAudit.of(cluster.bootstrap(), "faults", FaultCluster.PARTITIONS);
        return new Report(
            outcomes, clients.written(), clients.longestUnacknowledgedMillis(), audit, seed);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(e.getMessage() + cluster.outputs(), e);
      }
    }
  }

  private Outcome inject(FaultCluster cluster, CountedClients clients, Fault fault)
      throws Exception {
    after(Duration.ofMillis(2_000 + random.nextInt(4_000)), () -> {});
    long started = System.nanoTime();
    FaultCluster.Member member = cluster.member(fault.member());
    // The clients write on through the fault and the recovery, as apps do.
    if (fault.action().equals("freeze")) {
      member.freeze();
      after(freeze, member::thaw);
    } else {
      member.killAndRestart();
      after(WRITING_THROUGH, () -> {});
    }
    clients.pause();
    long paused = System.nanoTime();
    Check check = awaitQuiet(cluster, clients);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long settled = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
    if (!check.clean()) {
      out.println("not quiet after " + fault + ": " + check);
      out.println(
          "history of the missing objects: "
              + HistoryAudit.creating(
                  cluster.bootstrap(), "faults", FaultCluster.PARTITIONS, check.missing()));
    }
    out.printf(
        "%-22s everything everywhere after %,7d ms (%,6d ms after the last write)  lost %d,"
            + " extra %d, applied twice %d, divergent %d (written so far %,d)%n",
        fault,
        millis,
        settled,
        check.lost(),
        check.extra(),
        check.appliedTwice(),
        check.divergent().size(),
        clients.written());
    cluster.awaitReady(Duration.ofMinutes(2));
    clients.resume();
    return new Outcome(fault, millis, settled, check);
  }

  /** Waits until every client is quiet and equal to its dataset's store; then counts. */
  private Check awaitQuiet(FaultCluster cluster, CountedClients clients) {
    Check[] last = new Check[1];
    try {
      await()
          .atMost(CONVERGENCE)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                last[0] = check(cluster, clients);
                return last[0] != null && last[0].clean();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      if (last[0] == null) {
        throw new AssertionError(
            "no materializer served every dataset in "
                + CONVERGENCE
                + ": "
                + statuses(cluster, clients),
            e);
      }
    }
    return last[0];
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Over HTTP/1.1: the JDK client's HTTP/2 upgrade sends every request down one connection. */
  private static JsonNode objects(int port, String dataset) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/datasets/" + dataset + "/objects"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
  }

  /** What each read API answers for each dataset, for a failure report. */
  private static String statuses(FaultCluster cluster, CountedClients clients) {
    StringBuilder answers = new StringBuilder();
    for (String dataset : clients.datasets()) {
      answers.append(dataset).append(":");
      for (int port : cluster.readApiPorts()) {
        answers.append(' ').append(status(port, dataset));
      }
      answers.append("; ");
    }
    return answers.toString();
  }

  /** Null while a dataset has no serving materializer. */
  private static Check check(FaultCluster cluster, CountedClients clients) {
    long lost = 0;
    long extra = 0;
    long twice = 0;
    List<String> divergent = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    for (String dataset : clients.datasets()) {
      JsonNode state = served(cluster, dataset);
      if (state == null) {
        return null;
      }
      SortedMap<Long, Long> expected = clients.expectedObjects(dataset);
      java.util.Set<Long> present = new java.util.HashSet<>();
      state.path("Task").fieldNames().forEachRemaining(id -> present.add(Long.parseLong(id)));
      present.remove(CountedClients.COUNTER.id());
      List<Long> absent = expected.keySet().stream().filter(id -> !present.contains(id)).toList();
      lost += absent.size();
      missing.addAll(absent.stream().limit(5).toList());
      extra += present.stream().filter(id -> !expected.containsKey(id)).count();
      long counter = state.path("Task").path("1").path("priority").asLong();
      twice += Math.max(0, counter - (present.size()));
      Map<String, String> flat = States.flatten(state);
      divergent.addAll(
          clients.divergentFrom(dataset, flat).stream().map(d -> dataset + ": " + d).toList());
    }
    return new Check(lost, extra, twice, divergent, missing);
  }

  /** The dataset's state from the materializer that serves it now; null if none does. */
  private static JsonNode served(FaultCluster cluster, String dataset) {
    for (int port : cluster.readApiPorts()) {
      try {
        if (status(port, dataset) == 200) {
          return objects(port, dataset);
        }
      } catch (Exception e) {
        // Not answering now: another try.
      }
    }
    return null;
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static int status(int port, String dataset) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/datasets/" + dataset + "/head"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Runs {@code action} after {@code delay}, and returns when it has run. */
  private static void after(Duration delay, Runnable action) {
    CompletableFuture.runAsync(
            action, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
        .join();
  }

  /** Two datasets on each partition, so that every sequencer and materializer has work. */
  static List<String> datasets() {
    io.tributary.kafka.Topics topics =
        new io.tributary.kafka.Topics("faults", FaultCluster.PARTITIONS, (short) 1);
    List<String> datasets = new ArrayList<>();
    int[] count = new int[FaultCluster.PARTITIONS];
    for (int i = 0; datasets.size() < 2 * FaultCluster.PARTITIONS; i++) {
      String name = "counted-" + i;
      if (count[topics.partitionOf(name)]++ < 2) {
        datasets.add(name);
      }
    }
    return datasets;
  }

  /** Prints the report as docs/reliability.md shows it. */
  static void print(Report report, PrintStream out) {
    out.println();
    out.println(
        "| fault | count | fault → every client has everything: p50 | max"
            + " | last write → every client has everything: p50 | max |");
    out.println("|---|---|---|---|---|---|");
    Map<String, List<Outcome>> byKind = new TreeMap<>();
    for (Outcome outcome : report.outcomes()) {
      String kind =
          outcome.fault().action() + " " + outcome.fault().member().replaceAll("-\\d$", "");
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(outcome);
    }
    byKind.forEach(
        (kind, outcomes) -> {
          List<Long> recovery = outcomes.stream().map(Outcome::recoveryMillis).sorted().toList();
          List<Long> settle = outcomes.stream().map(Outcome::settleMillis).sorted().toList();
          out.printf(
              "| %s | %d | %.1f s | %.1f s | %.1f s | %.1f s |%n",
              kind,
              outcomes.size(),
              median(recovery) / 1000.0,
              recovery.get(recovery.size() - 1) / 1000.0,
              median(settle) / 1000.0,
              settle.get(settle.size() - 1) / 1000.0);
        });
    long lost = report.outcomes().stream().mapToLong(o -> o.check().lost()).sum();
    long twice = report.outcomes().stream().mapToLong(o -> o.check().appliedTwice()).sum();
    long divergent = report.outcomes().stream().mapToLong(o -> o.check().divergent().size()).sum();
    out.println();
    out.printf("changes written: %,d%n", report.written());
    out.printf("acknowledged changes lost: %d%n", lost);
    out.printf("changes applied twice: %d%n", twice + report.audit().integratedTwice());
    out.printf("zombie records accepted: %d%n", report.audit().versionsTwice());
    out.printf("divergent clients: %d%n", divergent);
    out.printf(
        "longest wait for an acknowledgement: %.1f s%n",
        report.longestUnacknowledgedMillis() / 1000.0);
    out.printf("history audit: %s%n", report.audit());
  }

  private static long median(List<Long> sorted) {
    return sorted.get((sorted.size() - 1) / 2);
  }

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int brokerKills = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int freezes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int freezeSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    long seed = Long.getLong("faults.seed", System.nanoTime());
    Path work = Files.createTempDirectory("faults");
    FaultHarness harness =
        new FaultHarness(work, System.out, Duration.ofSeconds(freezeSeconds), seed);
    Report report = harness.run(harness.schedule(kills, brokerKills, freezes));
    print(report, System.out);
    System.exit(report.clean() ? 0 : 1);
  }
}

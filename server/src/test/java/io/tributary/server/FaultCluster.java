package io.tributary.server;

import static org.awaitility.Awaitility.await;

import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole cluster of processes on loopback, each a role that a test can kill -9 and start again on
 * the same data and ports, or freeze and thaw: a broker alone, two sequencers, two materializers
 * with a standby each, two gateways.
 */
final class FaultCluster implements AutoCloseable {

  /** A process of the cluster, started again with the same arguments when it is restarted. */
  final class Member {
    private final String name;
    private final String mainClass;
    private final String[] args;
    private final int readyPort;
    private RoleProcess process;

    private Member(String name, String mainClass, int readyPort, String... args) {
      this.name = name;
      this.mainClass = mainClass;
      this.args = args;
      this.readyPort = readyPort;
    }

    String name() {
      return name;
    }

    private Member start() {
      process = RoleProcess.startMain(logs, name + "-" + (++starts), mainClass, args);
      return this;
    }

    /** SIGKILL, then started again at once, as a restart policy would. */
    void killAndRestart() throws InterruptedException {
      process.kill();
      start();
    }

    void freeze() {
      process.pause();
    }

    void thaw() {
      process.resume();
    }

    /** Whether it answers on its port, if it has one (a sequencer has none). */
    boolean ready() {
      return readyPort == 0 || answers(readyPort);
    }

    String output() {
      return process.output();
    }

    private void close() throws InterruptedException {
      process.close();
    }
  }

  static final int PARTITIONS = 4;
  private static final String PREFIX = "faults";

  private final Path work;
  private final Path logs;
  private final int brokerPort = RoleProcess.freePort();
  private final List<Integer> gatewayPorts =
      List.of(RoleProcess.freePort(), RoleProcess.freePort());
  private final List<Integer> readApiPorts =
      List.of(RoleProcess.freePort(), RoleProcess.freePort());
  private final Map<String, Member> members = new TreeMap<>();
  private int starts;

  FaultCluster(Path work, Duration sessionTimeout) {
    this.work = work;
    this.logs = work.resolve("logs");
    String bootstrap = "127.0.0.1:" + brokerPort;
    String[] kafka = {
      "--kafka-bootstrap",
      bootstrap,
      "--topic-prefix",
      PREFIX,
      "--partitions",
      Integer.toString(PARTITIONS),
      "--admin-off",
      "--session-timeout-ms",
      Long.toString(sessionTimeout.toMillis())
    };
    add(
        new Member(
            "broker",
            "io.tributary.server.bench.BrokerAlone",
            0,
            work.resolve("broker").toString(),
            Integer.toString(brokerPort)));
    for (int i = 1; i <= 2; i++) {
      add(role("sequencer-" + i, 0, concat(new String[] {"sequencer"}, kafka)));
    }
    for (int i = 1; i <= 2; i++) {
      int port = readApiPorts.get(i - 1);
      add(
          role(
              "materializer-" + i,
              port,
              concat(
                  new String[] {"materializer"},
                  kafka,
                  "-d",
                  work.resolve("materializer-" + i).toString(),
                  "--read-api",
                  "127.0.0.1:" + port,
                  "--standby-replicas",
                  "1")));
    }
    for (int i = 1; i <= 2; i++) {
      add(
          role(
              "gateway-" + i,
              gatewayPorts.get(i - 1),
              concat(
                  new String[] {"gateway"},
                  kafka,
                  "--model",
                  Fixtures.exampleModel().toString(),
                  "--unsecured-no-authentication",
                  "--bind",
                  "ws://127.0.0.1:" + gatewayPorts.get(i - 1))));
    }
  }

  private Member role(String name, int readyPort, String... args) {
    return new Member(name, "io.tributary.server.Main", readyPort, args);
  }

  private void add(Member member) {
    members.put(member.name(), member);
  }

  /** Starts the broker, then every role; returns once every gateway and read API answers. */
  FaultCluster start() {
    members.get("broker").start();
    members.values().stream().filter(m -> !m.name().equals("broker")).forEach(Member::start);
    awaitReady(Duration.ofMinutes(3));
    return this;
  }

  void awaitReady(Duration patience) {
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> members.values().stream().allMatch(Member::ready));
  }

  Member member(String name) {
    return members.get(name);
  }

  List<Member> roles(String kind) {
    return members.values().stream().filter(m -> m.name().startsWith(kind)).toList();
  }

  List<URI> gateways() {
    return gatewayPorts.stream().map(port -> URI.create("ws://127.0.0.1:" + port)).toList();
  }

  List<Integer> readApiPorts() {
    return readApiPorts;
  }

  String bootstrap() {
    return "127.0.0.1:" + brokerPort;
  }

  Path logs() {
    return logs;
  }

  /** Every member's output, for a failure report. */
  String outputs() {
    StringBuilder all = new StringBuilder();
    members
        .values()
        .forEach(
            m -> all.append("\n--- ").append(m.name()).append(" ---\n").append(tail(m.output())));
    return all.toString();
  }

  private static String tail(String output) {
    return output.length() <= 4_000 ? output : output.substring(output.length() - 4_000);
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Whether anything but "starting" answers on the port. */
  private static boolean answers(int port) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          != 503;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String[] concat(String[] first, String[] second, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(second));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Override
  public void close() throws InterruptedException {
    List<Member> reversed = new ArrayList<>(members.values());
    java.util.Collections.reverse(reversed);
    for (Member member : reversed) {
      if (member.process != null) {
        member.thaw();
        member.close();
      }
    }
  }
}

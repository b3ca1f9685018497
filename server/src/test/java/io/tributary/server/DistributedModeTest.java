package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.StateJson;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.RoleProcess;
import io.tributary.testkit.States;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each role as its own process on one broker, with two gateways: clients on different gateways sync
 * exactly as on the one-command server.
 */
class DistributedModeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path work;
  private final List<RoleProcess> roles = new ArrayList<>();
  private final List<SyncClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    clients.forEach(SyncClient::close);
    for (RoleProcess role : roles) {
      role.close();
    }
  }

  @Test
  void clientsOnTwoGatewaysConvergeThroughSeparateRoleProcesses() {
    Topics topics = TestKafka.freshTopics(3);
    String bootstrap = TestKafka.bootstrap();
    int readApi = RoleProcess.freePort();
    String[] kafka = {
      "--kafka-bootstrap", bootstrap, "--topic-prefix", topics.prefix(), "--partitions", "3"
    };

    start(
        "materializer",
        concat(
            kafka, "-d", work.resolve("store").toString(), "--read-api", "127.0.0.1:" + readApi));
    start("sequencer", kafka);
    String[] unsecured = concat(kafka, "--unsecured-no-authentication");
    int gatewayA = startGateway("gateway-a", unsecured, readApi);
    int gatewayB = startGateway("gateway-b", unsecured, readApi);

    SyncClient alice = client(gatewayA);
    SyncClient bob = client(gatewayB);
    alice.write(tx -> tx.create("Task", 1).set("Task", 1, "text", Value.of("from gateway a")));
    bob.write(tx -> tx.create("Task", 2).set("Task", 2, "done", Value.of(true)));
    alice.write(tx -> tx.erase("Task", 2));

    ReadApiProbe probe = new ReadApiProbe(readApi);
    try {
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                for (SyncClient client : List.of(alice, bob)) {
                  assertThat(client.pendingCount()).isZero();
                  assertThat(States.flatten(StateJson.of(client.objects())))
                      .as("client at server version %d", client.serverVersion())
                      .containsExactlyInAnyOrderEntriesOf(States.flatten(probe.objects("tasks")));
                }
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // What each role saw, so that a failure on a loaded machine can be understood afterwards.
      StringBuilder logs = new StringBuilder();
      for (RoleProcess role : roles) {
        logs.append("\n--- role ").append(role.pid()).append(" ---\n").append(role.output());
      }
      throw new AssertionError(
          e.getMessage()
              + "\nalice at "
              + alice.serverVersion()
              + ", bob at "
              + bob.serverVersion()
              + logs,
          e);
    }
    assertThat(bob.objects()).containsOnlyKeys(new ObjectKey("Task", 1));
  }

  @Test
  void aGatewayAloneTakesTheSameAuthenticationAndPermissionsAsTheServer() throws Exception {
    TestTokens tokens = new TestTokens();
    Topics topics = TestKafka.freshTopics(3);
    String[] settings = {
      "--kafka-bootstrap",
      TestKafka.bootstrap(),
      "--topic-prefix",
      topics.prefix(),
      "--conf",
      tokens.configFile(Duration.ofSeconds(5)).toString()
    };
    int port = startGateway("gateway-jwt", settings, RoleProcess.freePort());
    String ada = tokens.token("ada", List.of("red"), Duration.ofMinutes(5));

    try (RawConnection raw = RawConnection.open(port, ada)) {
      raw.send(new io.tributary.schemas.Bind(1L, "user-bob", null, true));
      await()
          .atMost(PATIENCE)
          .until(() -> !raw.received(io.tributary.schemas.Error.class).isEmpty());
      assertThat(raw.received(io.tributary.schemas.Error.class).get(0).getCode())
          .isEqualTo(io.tributary.core.ErrorCode.PERMISSION_DENIED.code());
    }
    Throwable refused =
        catchThrowable(
            () ->
                RawConnection.open(
                    port,
                    tokens.sign(
                        TestTokens.claims("ada", List.of(), Duration.ofMinutes(5))
                            .audience("other"))));
    assertThat(
            ((java.net.http.WebSocketHandshakeException) refused.getCause())
                .getResponse()
                .body()
                .toString())
        .contains("wrong_audience");
  }

  private void start(String name, String... args) {
    roles.add(
        RoleProcess.start(
            work.resolve("logs"),
            name,
            concat(concat(new String[] {name}, args), "--admin-bind", "127.0.0.1:0")));
  }

  /** A gateway alone with {@code settings} (a cluster, an authentication method). */
  private int startGateway(String name, String[] settings, int readApi) {
    int port = RoleProcess.freePort();
    RoleProcess gateway =
        RoleProcess.start(
            work.resolve("logs"),
            name,
            concat(
                new String[] {"gateway"},
                concat(
                    settings,
                    "--model",
                    Fixtures.exampleModel().toString(),
                    "--bind",
                    "ws://127.0.0.1:" + port,
                    "--materializer-url",
                    "http://127.0.0.1:" + readApi,
                    "--admin-bind",
                    "127.0.0.1:0")));
    roles.add(gateway);
    try {
      await().atMost(PATIENCE).until(() -> SyncPort.ready(port) || !gateway.alive());
    } finally {
      assertThat(gateway.alive()).as(name + " is running; its log:%n%s", gateway.output()).isTrue();
    }
    assertThat(SyncPort.ready(port))
        .as(name + " is ready; its log:%n%s", gateway.output())
        .isTrue();
    return port;
  }

  private SyncClient client(int port) {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + port), "tasks");
    clients.add(client);
    client.connect().join();
    // Through its first STATE: writes then stand on a known version (StateTransferTest covers
    // writes made during the transfer).
    await()
        .atMost(PATIENCE)
        .until(() -> client.connectionState() == SyncClient.ConnectionState.CONNECTED);
    return client;
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}

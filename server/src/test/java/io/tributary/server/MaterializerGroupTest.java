package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.auth.Admission;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.StateJson;
import io.tributary.gateway.ConnectionPolicy;
import io.tributary.kafka.Topics;
import io.tributary.materializer.MaterializerConfig;
import io.tributary.server.SyncServer.Role;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.States;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two materializers in a group, each role in a server of its own on one broker: each materializes
 * and serves half the history partitions and keeps the other half warm as a standby; the gateway
 * finds each dataset's materializer by itself. When one stops, the other serves every partition,
 * and clients that connect then get their state from it.
 */
class MaterializerGroupTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int PARTITIONS = 4;

  @TempDir Path sequencerData;
  @TempDir Path firstData;
  @TempDir Path secondData;
  @TempDir Path gatewayData;

  private final Topics topics = TestKafka.freshTopics(PARTITIONS);
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  @Test
  void theGroupSharesThePartitionsAndAStandbyTakesOverWhenAMemberStops() throws Exception {
    start(sequencerData, Role.SEQUENCER, null);
    SyncServer first =
        start(firstData, Role.MATERIALIZER, MaterializerConfig.Group.withStandbys(1));
    SyncServer second =
        start(secondData, Role.MATERIALIZER, MaterializerConfig.Group.withStandbys(1));
    SyncServer gateway = start(gatewayData, Role.GATEWAY, null);
    List<String> datasets = datasetsOnEveryPartition();
    List<SyncClient> writers = new ArrayList<>();
    for (String dataset : datasets) {
      SyncClient writer = client(gateway, dataset);
      writers.add(writer);
      writeTasks(writer, 1, 5);
    }

    for (int i = 0; i < datasets.size(); i++) {
      SyncClient reader = client(gateway, datasets.get(i));
      awaitEqual(List.of(writers.get(i), reader), datasets.get(i), first, second);
    }
    // The second member's arrival moves half the partitions to it: the group settles a moment
    // after the data is there (the first member may have served all of them until then).
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              Set<Integer> servedByFirst = servedPartitions(first, datasets);
              assertThat(servedByFirst).as("each serves half").hasSize(PARTITIONS / 2);
              assertThat(servedPartitions(second, datasets))
                  .hasSize(PARTITIONS / 2)
                  .doesNotContainAnyElementsOf(servedByFirst);
            });
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              for (String dataset : datasets) {
                assertThat(first.store().head(dataset))
                    .as("a standby keeps %s warm", dataset)
                    .isEqualTo(second.store().head(dataset))
                    .isEqualTo(5);
              }
            });

    opened.remove(first);
    first.close();
    for (SyncClient writer : writers) {
      writeTasks(writer, 6, 10);
    }

    for (int i = 0; i < datasets.size(); i++) {
      SyncClient newcomer = client(gateway, datasets.get(i));
      awaitEqual(List.of(writers.get(i), newcomer), datasets.get(i), second);
      assertThat(newcomer.objects()).hasSize(10);
    }
    assertThat(servedPartitions(second, datasets)).hasSize(PARTITIONS);
  }

  private SyncServer start(Path data, Role role, MaterializerConfig.Group group) throws Exception {
    SyncServer server =
        SyncServer.start(
            new SyncServer.Options(
                data,
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                TestKafka.bootstrap(),
                topics,
                ConnectionPolicy.DEFAULTS,
                Admission.UNSECURED,
                null,
                null,
                "127.0.0.1",
                0,
                SyncServer.SequencerOptions.DEFAULTS,
                false,
                null,
                group == null ? null : new SyncServer.MaterializerGroupOptions(group, null)),
            EnumSet.of(role));
    opened.add(server);
    return server;
  }

  private SyncClient client(SyncServer gateway, String dataset) {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + gateway.port()), dataset);
    opened.add(client);
    client.connect().join();
    return client;
  }

  private static void writeTasks(SyncClient writer, int from, int to) {
    for (int id = from; id <= to; id++) {
      long task = id;
      writer.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of("t" + task)));
    }
  }

  /** Names until every partition has two datasets. */
  private List<String> datasetsOnEveryPartition() {
    List<String> datasets = new ArrayList<>();
    int[] count = new int[PARTITIONS];
    for (int i = 0; datasets.size() < 2 * PARTITIONS; i++) {
      String name = "group-" + i;
      int partition = topics.partitionOf(name);
      if (count[partition] < 2) {
        count[partition]++;
        datasets.add(name);
      }
    }
    return datasets;
  }

  /** The replicas are quiet and equal to the state of the one materializer serving the dataset. */
  private void awaitEqual(List<SyncClient> replicas, String dataset, SyncServer... members) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              List<SyncServer> serving = new ArrayList<>();
              for (SyncServer member : members) {
                if (status(member, dataset) == 200) {
                  serving.add(member);
                }
              }
              assertThat(serving).as("members serving %s", dataset).hasSize(1);
              var state =
                  States.flatten(new ReadApiProbe(serving.get(0).readApiPort()).objects(dataset));
              for (SyncClient replica : replicas) {
                assertThat(replica.pendingCount()).isZero();
                assertThat(States.flatten(StateJson.of(replica.objects())))
                    .containsExactlyInAnyOrderEntriesOf(state);
              }
            });
  }

  private Set<Integer> servedPartitions(SyncServer member, List<String> datasets) throws Exception {
    Set<Integer> served = new TreeSet<>();
    for (String dataset : datasets) {
      int status = status(member, dataset);
      assertThat(status).as("%s answers %s", dataset, status).isIn(200, 421);
      if (status == 200) {
        served.add(topics.partitionOf(dataset));
      }
    }
    return served;
  }

  private int status(SyncServer member, String dataset) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + member.readApiPort()
                            + "/v1/datasets/"
                            + dataset
                            + "/head"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.state.StateJson;
import io.tributary.gateway.Gateway;
import io.tributary.gateway.GatewayConfig;
import io.tributary.kafka.Topics;
import io.tributary.materializer.MaterializerConfig;
import io.tributary.materializer.MaterializerService;
import io.tributary.materializer.ReadApi;
import io.tributary.materializer.RocksStore;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.HistoryLog;
import io.tributary.testkit.ReadApiProbe;
import io.tributary.testkit.RoleProcess;
import io.tributary.testkit.States;
import io.tributary.testkit.TestKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequencer process frozen with SIGSTOP until its partition moves to another, then resumed with
 * SIGCONT while uploads keep coming: what every reader accepts stays gap-free, with no duplicate
 * and no conflicting version, and every acknowledged change is there.
 */
class ZombieSequencerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path work;

  @Test
  void aFrozenAndResumedSequencerCorruptsNothing() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    String[] sequencerArgs = {
      "sequencer",
      "--kafka-bootstrap",
      bootstrap,
      "--topic-prefix",
      topics.prefix(),
      "--partitions",
      "1",
      "--session-timeout-ms",
      "2000",
      "--admin-bind",
      "127.0.0.1:0"
    };
    Vertx vertx = Vertx.vertx();
    try (RocksStore store = RocksStore.open(work.resolve("store"));
        MaterializerService materializer =
            new MaterializerService(new MaterializerConfig(bootstrap, topics, true), store)
                .start();
        // The first holds what it decided a moment before writing: frozen, it is almost surely
        // frozen there, and resumed, it writes after its replacement took over.
        RoleProcess first =
            RoleProcess.startWith(
                work.resolve("logs"),
                "sequencer-1",
                List.of("-Dtributary.faults.sequencerHoldBeforeWriteMs=300"),
                sequencerArgs)) {
      int readApi =
          ReadApi.start(vertx, store, materializer::currentSchema, "127.0.0.1", 0)
              .await()
              .actualPort();
      Gateway gateway =
          new Gateway(
                  vertx,
                  new GatewayConfig(
                      bootstrap,
                      topics,
                      "127.0.0.1",
                      0,
                      "http://127.0.0.1:" + readApi,
                      Main.loadModel(Fixtures.exampleModel())))
              .start()
              .await();
      SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + gateway.port()), "zombie");
      client.connect().join();
      await().atMost(PATIENCE).until(() -> client.clientIdent() != 0);
      write(client, 1, 20);
      await().atMost(PATIENCE).until(() -> client.pendingCount() == 0);

      try (RoleProcess second =
          RoleProcess.start(work.resolve("logs"), "sequencer-2", sequencerArgs)) {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer =
            new Thread(
                () -> {
                  for (int i = 21; writing.get() && i < 100_000; i++) {
                    write(client, i, i);
                    LockSupport.parkNanos(2_000_000); // About 500 changes a second.
                  }
                });
        writer.start();
        first.pause();
        await().atMost(PATIENCE).until(() -> second.output().contains("Took over"));
        first.resume();
        try {
          await().atMost(PATIENCE).until(() -> client.pendingCount() < 50);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "pending " + client.pendingCount() + "\n" + first.output() + "\n" + second.output(),
              e);
        }
        writing.set(false);
        writer.join();

        await().atMost(PATIENCE).until(() -> client.pendingCount() == 0);
        List<HistoryEvent> accepted =
            HistoryLog.accepted(bootstrap, new TopicPartition(topics.history(), 0));
        List<Changeset> integrated =
            accepted.stream()
                .filter(Integrated.class::isInstance)
                .map(e -> ((Integrated) e).changeset())
                .toList();
        List<Long> versions =
            accepted.stream()
                .filter(Integrated.class::isInstance)
                .map(e -> ((Integrated) e).version())
                .toList();
        assertThat(versions)
            .as("gap-free from 1")
            .isEqualTo(
                java.util.stream.LongStream.rangeClosed(1, versions.size()).boxed().toList());
        Set<Long> clientVersions = new HashSet<>();
        integrated.forEach(
            c ->
                assertThat(clientVersions.add(c.clientVersion()))
                    .as("client version %d once", c.clientVersion())
                    .isTrue());
        assertThat(clientVersions).hasSize((int) client.lastClientVersion());
        ReadApiProbe probe = new ReadApiProbe(readApi);
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () ->
                    assertThat(States.flatten(StateJson.of(client.objects())))
                        .containsExactlyInAnyOrderEntriesOf(
                            States.flatten(probe.objects("zombie"))));
        List<HistoryLog.Read> log =
            HistoryLog.read(bootstrap, new TopicPartition(topics.history(), 0));
        List<HistoryLog.Read> markers =
            log.stream().filter(r -> RecordCodec.isMarker(r.record()) && r.accepted()).toList();
        assertThat(markers).as("the first owner's marker, then the second's").hasSizeGreaterThan(1);
        HistoryRecord firstMarker = markers.get(0).record();
        long replacedAt =
            markers.stream()
                .filter(r -> !r.record().getToken().equals(firstMarker.getToken()))
                .findFirst()
                .orElseThrow()
                .offset();
        List<HistoryLog.Read> zombie =
            log.stream()
                .filter(r -> r.offset() > replacedAt)
                .filter(r -> r.record().getEpoch() == firstMarker.getEpoch())
                .filter(r -> r.record().getToken().equals(firstMarker.getToken()))
                .toList();
        assertThat(zombie).as("the frozen sequencer wrote after it was replaced").isNotEmpty();
        assertThat(zombie).as("and every reader ignored it").noneMatch(HistoryLog.Read::accepted);
        System.out.println(
            "ZombieSequencerTest: "
                + versions.size()
                + " changesets, "
                + zombie.size()
                + " records of the replaced sequencer fenced out");
      } finally {
        client.close();
        gateway.close();
        vertx.close().await();
      }
    }
  }

  private static void write(SyncClient client, long from, long to) {
    for (long i = from; i <= to; i++) {
      long id = 1 + i % 50;
      long value = i;
      client.write(tx -> tx.create("Task", id).set("Task", id, "priority", Value.of(value)));
    }
  }
}

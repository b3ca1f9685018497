package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.schemas.codec.Messages;
import io.tributary.testkit.RawConnection;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client allowed only its own datasets can neither read nor change another's, by any message,
 * while that other dataset is written on the same gateway; a read-only session publishes nothing.
 */
class DatasetIsolationTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final TestTokens tokens = new TestTokens();

  @RegisterExtension
  final RunningServer server =
      new RunningServer().withAdmission(tokens.admission(Duration.ofSeconds(5)));

  private final String ada = tokens.token("ada", List.of("red"), Duration.ofMinutes(10));

  @Test
  void adaNeverReceivesBobsOrBluesChangesetsByAnyPathWhileTheyAreWritten() throws Exception {
    try (SyncClient publicWriter = writer("public");
        SyncClient bobWriter = writer("user-bob");
        SyncClient blueWriter = writer("team-blue");
        Writing others = new Writing(Map.of(bobWriter, "bob-secret", blueWriter, "blue-secret"))) {
      write(publicWriter, 1, "public-news");
      assertThat(publicWriter.awaitSynced(PATIENCE)).isTrue();
      List<RawConnection> connections = new ArrayList<>();
      try {
        RawConnection raw = open(connections);
        long own = identified(raw, 1, "user-ada");
        identified(raw, 2, "public");
        long stateIdent = allocated(raw, 3, "public");
        send(raw, new ClientMessage.StateRequest(3, stateIdent, saltOf(raw, 3)));
        for (String other : List.of("user-bob", "team-blue")) {
          raw.send(new io.tributary.schemas.Bind(10L + other.length(), other, null, true));
          raw.send(new io.tributary.schemas.Bind(20L + other.length(), other, ada, true));
        }
        send(raw, new ClientMessage.Upload(1, List.of(task(own, 1, "ada-own"))));
        send(raw, new ClientMessage.Mark(2, 77));
        send(raw, new ClientMessage.ClientVersionRequest(1));

        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    seen(raw, 2, "public-news") // Control: the fan-out reaches ada's sessions.
                        && seen(raw, 3, "public-news") // and so does a STATE transfer.
                        && errors(raw, ErrorCode.PERMISSION_DENIED) == 4
                        && received(raw, ServerMessage.Mark.class).size() == 1
                        && received(raw, ServerMessage.ClientVersion.class).size() == 1
                        && others.rounds() >= 5);
        for (ClientMessage probe : probesFor(1)) {
          RawConnection prober = open(connections);
          prober.send(new io.tributary.schemas.Bind(1L, "user-bob", null, true));
          await().atMost(PATIENCE).until(() -> errors(prober, ErrorCode.PERMISSION_DENIED) == 1);
          send(prober, probe);
          await().atMost(PATIENCE).until(() -> prober.closeCode() != null);
          assertThat(errors(prober, ErrorCode.PROTOCOL_VIOLATION)).as(probe.toString()).isOne();
        }
        assertThat(others.rounds()).isGreaterThanOrEqualTo(5);
        assertThat(bobWriter.awaitSynced(PATIENCE)).isTrue();
        assertThat(bobWriter.objects().toString()).doesNotContain("ada-own");
        for (RawConnection connection : connections) {
          String everything = decoded(connection).toString();
          assertThat(everything).doesNotContain("bob-secret").doesNotContain("blue-secret");
        }
        assertThat(decoded(raw))
            .filteredOn(message -> sessionOf(message) > 3)
            .allMatch(message -> message instanceof ServerMessage.Error);
      } finally {
        connections.forEach(RawConnection::close);
      }
    }
  }

  @Test
  void aReadOnlySessionsUploadAndTransactAreRefusedAndNothingReachesTheUploadsTopic() {
    try (RawConnection raw = RawConnection.open(server.port(), ada)) {
      long own = identified(raw, 1, "user-ada");
      long reader = identified(raw, 2, "public");
      long transacting = identified(raw, 3, "public");
      long before = uploadsRecorded();

      send(raw, new ClientMessage.Upload(2, List.of(task(reader, 1, "vandal"))));
      send(raw, new ClientMessage.Transact(3, task(transacting, 1, "vandal")));
      send(raw, new ClientMessage.Upload(1, List.of(task(own, 1, "ada-own"))));

      await().atMost(PATIENCE).until(() -> errors(raw, ErrorCode.WRITE_NOT_ALLOWED) == 2);
      await().atMost(PATIENCE).until(() -> acknowledged(raw, 1) == 1);
      assertThat(uploadsRecorded())
          .as("only the allowed upload reached Kafka")
          .isEqualTo(before + 1);
      assertThat(decoded(raw).toString()).doesNotContain("vandal");
    }
  }

  /** Every message that names a session, for a session that was refused. */
  private static List<ClientMessage> probesFor(long session) {
    return List.of(
        new ClientMessage.Ident(session, 1, 1, 0, 0, 0),
        new ClientMessage.StateRequest(session, 1, 1),
        new ClientMessage.Upload(session, List.of(task(1, 1, "probe"))),
        new ClientMessage.Transact(session, task(1, 1, "probe")),
        new ClientMessage.Mark(session, 1),
        new ClientMessage.ClientVersionRequest(session),
        new ClientMessage.Refresh(session, "anything"),
        new ClientMessage.Unbind(session));
  }

  private RawConnection open(List<RawConnection> connections) {
    RawConnection connection = RawConnection.open(server.port(), ada);
    connections.add(connection);
    return connection;
  }

  private SyncClient writer(String dataset) {
    SyncClient client =
        new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), dataset)
            .tokenProvider(() -> TestTokens.SHARED_SECRET);
    client.connect().join();
    return client;
  }

  private static void write(SyncClient client, long id, String text) {
    client.write(tx -> tx.create("Task", id).set("Task", id, "text", Value.of(text)));
  }

  /** Writers that write on in the background until closed, each its own marker. */
  private static final class Writing implements AutoCloseable {
    private final AtomicBoolean going = new AtomicBoolean(true);
    private final AtomicLong rounds = new AtomicLong();
    private final Thread thread;

    Writing(Map<SyncClient, String> markers) {
      thread =
          new Thread(
              () -> {
                while (going.get()) {
                  long round = rounds.incrementAndGet();
                  markers.forEach((client, marker) -> write(client, round, marker + "-" + round));
                  markers.keySet().forEach(Writing::synced);
                }
              },
              "other-writers");
      thread.start();
    }

    private static void synced(SyncClient client) {
      try {
        client.awaitSynced(PATIENCE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    long rounds() {
      return rounds.get();
    }

    @Override
    public void close() throws InterruptedException {
      going.set(false);
      thread.join();
    }
  }

  /** Binds {@code dataset} as {@code session} with a new ident and identifies at version 0. */
  private static long identified(RawConnection raw, long session, String dataset) {
    long ident = allocated(raw, session, dataset);
    send(raw, new ClientMessage.Ident(session, ident, saltOf(raw, session), 0, 0, 0));
    return ident;
  }

  private static long allocated(RawConnection raw, long session, String dataset) {
    raw.send(new io.tributary.schemas.Bind(session, dataset, null, true));
    await().atMost(PATIENCE).until(() -> identOf(raw, session) != null);
    return identOf(raw, session).clientIdent();
  }

  private static ServerMessage.ServerIdent identOf(RawConnection raw, long session) {
    return received(raw, ServerMessage.ServerIdent.class).stream()
        .filter(ident -> ident.session() == session)
        .findFirst()
        .orElse(null);
  }

  private static long saltOf(RawConnection raw, long session) {
    return identOf(raw, session).salt();
  }

  private static void send(RawConnection raw, ClientMessage message) {
    raw.send(Messages.toWire(message).getBody());
  }

  private static Changeset task(long ident, long clientVersion, String text) {
    ObjectKey key = new ObjectKey("Task", 1000 + clientVersion);
    return new Changeset(
        clientVersion,
        0,
        clientVersion,
        ident,
        List.of(
            new Instruction.CreateObject(key),
            new Instruction.Update(key, "text", Value.of(text))));
  }

  private static List<ServerMessage> decoded(RawConnection raw) {
    return raw.received().stream().map(Messages::fromWire).toList();
  }

  private static <T> List<T> received(RawConnection raw, Class<T> type) {
    return decoded(raw).stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static long errors(RawConnection raw, ErrorCode code) {
    return received(raw, ServerMessage.Error.class).stream()
        .filter(error -> error.code() == code.code())
        .count();
  }

  /** Whether {@code session} received, in a DOWNLOAD or a STATE, something holding {@code text}. */
  private static boolean seen(RawConnection raw, long session, String text) {
    return decoded(raw).stream()
        .filter(m -> m instanceof ServerMessage.Download || m instanceof ServerMessage.State)
        .filter(m -> sessionOf(m) == session)
        .anyMatch(m -> m.toString().contains(text));
  }

  private static long sessionOf(ServerMessage message) {
    if (message instanceof ServerMessage.Download download) {
      return download.header().session();
    } else if (message instanceof ServerMessage.State state) {
      return state.header().session();
    } else if (message instanceof ServerMessage.Error error) {
      return error.session();
    } else if (message instanceof ServerMessage.ServerIdent ident) {
      return ident.session();
    } else if (message instanceof ServerMessage.Mark mark) {
      return mark.session();
    } else if (message instanceof ServerMessage.ClientVersion version) {
      return version.session();
    }
    return 0;
  }

  /** The upload progress {@code session} was last told of. */
  private static long acknowledged(RawConnection raw, long session) {
    return received(raw, ServerMessage.Download.class).stream()
        .filter(download -> download.header().session() == session)
        .mapToLong(download -> download.header().uploadProgress())
        .max()
        .orElse(0);
  }

  /** Records in the uploads topic, all partitions. */
  private long uploadsRecorded() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", TestKafka.bootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(server.topics().uploads()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}

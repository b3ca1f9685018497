package io.tributary.server.bench;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.ClientIdent;
import io.tributary.schemas.Download;
import io.tributary.schemas.DownloadedChangeset;
import io.tributary.schemas.ServerIdent;
import io.tributary.schemas.State;
import io.tributary.schemas.StateObject;
import io.tributary.schemas.StateRequest;
import io.tributary.schemas.StoredObject;
import io.tributary.schemas.Upload;
import io.tributary.schemas.codec.Bodies;
import io.tributary.server.Main;
import io.tributary.server.SyncServer;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RawConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Catch-up and first open, each next to a baseline of the same run:
 *
 * <ul>
 *   <li>A client 100,000 changesets behind downloads to the head: time, bytes on the wire, and the
 *       bytes of the same changesets uncompressed; next to a bare Kafka consumer reading the same
 *       history records.
 *   <li>A client opens a dataset of 1,000,000 small objects through STATE into an in-memory copy;
 *       next to a raw scan of the same objects in RocksDB (read-only, decoding each as STATE does).
 * </ul>
 *
 * Run: {@code bench/transfer.sh [changesets] [objects]} (defaults 100000 1000000).
 */
public final class TransferBenchmark {

  private static final Duration PATIENCE = Duration.ofMinutes(20);

  public static void main(String[] args) throws Exception {
    int changesets = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int objects = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path data = Files.createTempDirectory("tributary-transfer-");
    try (SyncServer server =
        SyncServer.start(
            new SyncServer.Options(
                data,
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                null,
                Topics.defaults()))) {
      catchUp(server, changesets);
      bootstrap(server, data, objects);
    }
    System.exit(0);
  }

  /** 90 % small changesets, 10 % with about 4 KB of text (compressible, as text is). */
  private static void catchUp(SyncServer server, int count) throws Exception {
    String dataset = "catchup";
    Random random = new Random(1);
    try (RawConnection writer = identified(server.port(), dataset)) {
      long ident = writer.received(ServerIdent.class).get(0).getClientIdent();
      long started = System.nanoTime();
      List<ChangesetBody> batch = new ArrayList<>();
      for (int version = 1; version <= count; version++) {
        ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(10_000));
        String text = version % 10 == 0 ? words(random, 700) : "task " + version;
        batch.add(
            Bodies.encode(
                new Changeset(
                    version,
                    0,
                    version,
                    ident,
                    List.of(
                        new Instruction.CreateObject(key),
                        new Instruction.Update(key, "text", Value.of(text)),
                        new Instruction.AddInteger(key, "priority", 1)))));
        if (batch.size() == 500) {
          writer.send(new Upload(1L, batch));
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        writer.send(new Upload(1L, batch));
      }
      awaitUntil(() -> lastProgress(writer) == count);
      System.out.printf(
          "Wrote %,d changesets in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
    }

    long bareStarted = System.nanoTime();
    long[] bare = readHistory(server.kafkaBootstrap(), count);
    System.out.printf(
        "Bare Kafka, history topic from offset 0: %,d records, %.1f MB, %.2f s%n",
        bare[0], bare[1] / 1e6, (System.nanoTime() - bareStarted) / 1e9);

    try (RawConnection reader = RawConnection.open(server.port())) {
      reader.send(new Bind(1L, dataset, null, true));
      awaitUntil(() -> !reader.received(ServerIdent.class).isEmpty());
      ServerIdent ident = reader.received(ServerIdent.class).get(0);
      AtomicLong version = new AtomicLong();
      AtomicLong plainBytes = new AtomicLong();
      AtomicLong bodyBytes = new AtomicLong();
      reader.onMessage(
          message -> {
            if (message.getBody() instanceof Download download) {
              for (DownloadedChangeset changeset : download.getChangesets()) {
                plainBytes.addAndGet(changeset.getBody().getSize());
                bodyBytes.addAndGet(changeset.getBody().getData().remaining());
                Bodies.decode(changeset.getBody()); // A client decodes every one.
              }
              version.set(download.getServerVersion());
            }
          });
      long before = reader.receivedBytes();
      long started = System.nanoTime();
      reader.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
      awaitUntil(() -> version.get() == count);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "Catch-up of %,d changesets: %.2f s; %.1f MB on the wire (bodies %.1f MB compressed,"
              + " %.1f MB uncompressed)%n",
          count,
          seconds,
          (reader.receivedBytes() - before) / 1e6,
          bodyBytes.get() / 1e6,
          plainBytes.get() / 1e6);
    }
  }

  private static void bootstrap(SyncServer server, Path data, int count) throws Exception {
    String dataset = "state";
    try (RawConnection writer = identified(server.port(), dataset)) {
      long ident = writer.received(ServerIdent.class).get(0).getClientIdent();
      long started = System.nanoTime();
      int perChangeset = 1_000;
      long version = 0;
      List<ChangesetBody> batch = new ArrayList<>();
      for (int first = 1; first <= count; first += perChangeset) {
        List<Instruction> instructions = new ArrayList<>();
        for (int id = first; id < first + perChangeset && id <= count; id++) {
          ObjectKey key = new ObjectKey("Task", id);
          instructions.add(new Instruction.CreateObject(key));
          instructions.add(new Instruction.Update(key, "priority", Value.of((long) id)));
        }
        version++;
        batch.add(Bodies.encode(new Changeset(version, 0, version, ident, instructions)));
        if (batch.size() == 20) {
          writer.send(new Upload(1L, batch));
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        writer.send(new Upload(1L, batch));
      }
      long last = version;
      awaitUntil(() -> lastProgress(writer) == last);
      System.out.printf(
          "Wrote %,d objects in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
    }

    long rawStarted = System.nanoTime();
    long scanned = rawScan(data.resolve("materializer"), dataset);
    System.out.printf(
        "Raw RocksDB scan (read-only, decoding each object): %,d objects, %.2f s%n",
        scanned, (System.nanoTime() - rawStarted) / 1e9);

    try (RawConnection reader = RawConnection.open(server.port())) {
      reader.send(new Bind(1L, dataset, null, true));
      awaitUntil(() -> !reader.received(ServerIdent.class).isEmpty());
      ServerIdent ident = reader.received(ServerIdent.class).get(0);
      Map<ObjectKey, StateObject> copy = new HashMap<>();
      CountDownLatch done = new CountDownLatch(1);
      AtomicLong segments = new AtomicLong();
      reader.onMessage(
          message -> {
            if (message.getBody() instanceof State state) {
              for (StateObject object : state.getObjects()) {
                copy.put(new ObjectKey(object.getEntity(), object.getId()), object);
              }
              segments.incrementAndGet();
              if (state.getLast()) {
                done.countDown();
              }
            }
          });
      long before = reader.receivedBytes();
      long started = System.nanoTime();
      reader.send(new StateRequest(1L, ident.getClientIdent(), ident.getSalt()));
      if (!done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("no last STATE segment");
      }
      System.out.printf(
          "STATE bootstrap: %,d objects in %,d segments, %.1f MB, %.2f s to an in-memory copy%n",
          copy.size(),
          segments.get(),
          (reader.receivedBytes() - before) / 1e6,
          (System.nanoTime() - started) / 1e9);
    }
  }

  /** The dataset's objects: keys 'o', the dataset's name, a 0 byte, then entity and id. */
  private static long rawScan(Path directory, String dataset) throws Exception {
    RocksDB.loadLibrary();
    byte[] name = dataset.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] prefix = new byte[name.length + 2];
    prefix[0] = 'o';
    System.arraycopy(name, 0, prefix, 1, name.length);
    long count = 0;
    try (Options options = new Options();
        RocksDB db = RocksDB.openReadOnly(options, directory.toString());
        RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        StoredObject.getDecoder().decode(it.value());
        count++;
      }
    }
    return count;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Every record of the history topic, as a consumer sees them: {records, bytes}. */
  private static long[] readHistory(String bootstrap, int atLeast) {
    Topics topics = Topics.defaults();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "bench-history", null))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.history()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long records = 0;
      long bytes = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records++;
          bytes += record.value().length;
        }
      }
      return new long[] {records, bytes};
    }
  }

  private static String words(Random random, int count) {
    String[] vocabulary = {
      "buy", "milk", "call", "mom", "the", "report", "fix", "bug", "meeting", "at", "noon", "and",
      "review", "draft", "send", "invoice", "book", "flight", "plan", "trip", "water", "plants"
    };
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
    }
    return text.toString();
  }

  private static RawConnection identified(int port, String dataset) {
    RawConnection raw = RawConnection.open(port);
    raw.send(new Bind(1L, dataset, null, true));
    awaitUntil(() -> !raw.received(ServerIdent.class).isEmpty());
    ServerIdent ident = raw.received(ServerIdent.class).get(0);
    raw.send(new ClientIdent(1L, ident.getClientIdent(), ident.getSalt(), 0L, 0L, 0L));
    awaitUntil(() -> !raw.received(Download.class).isEmpty());
    return raw;
  }

  private static long lastProgress(RawConnection raw) {
    List<Download> downloads = raw.received(Download.class);
    return downloads.isEmpty() ? 0 : downloads.get(downloads.size() - 1).getUploadProgress();
  }

  private static void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(PATIENCE).until(condition);
  }

  private TransferBenchmark() {}
}

package io.tributary.benchmarks;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.codec.ObjectCodec;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The client's local store, offline: a transaction creating one small task (one changeset, one
 * atomic RocksDB write of the object, the pending changeset and the meta record), and a read of one
 * object by id; next to raw RocksDB doing the bare minimum of the same (one write batch of the
 * encoded object, one get) in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientStoreBenchmark {

  private static final int PRELOADED = 10_000;

  private Path directory;
  private SyncClient client;
  private RocksDB raw;
  private Options rawOptions;
  private WriteOptions rawWrites;
  private final Random random = new Random(5);
  private long nextId = PRELOADED + 1;
  private byte[] encodedTask;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("tributary-client-bench-");
    client =
        SyncClient.persistent(
            URI.create("ws://127.0.0.1:1"), "bench", null, directory.resolve("client"));
    for (long id = 1; id <= PRELOADED; id++) {
      long task = id;
      client.write(tx -> tx.create("Task", task).set("Task", task, "text", Value.of("task")));
    }
    RocksDB.loadLibrary();
    rawWrites = new WriteOptions();
    rawOptions = new Options().setCreateIfMissing(true);
    raw = RocksDB.open(rawOptions, directory.resolve("raw").toString());
    SortedMap<String, Value> task = new TreeMap<>();
    task.put("text", Value.of("task"));
    encodedTask = ObjectCodec.encode(task);
    for (long id = 1; id <= PRELOADED; id++) {
      raw.put(key(id), encodedTask);
    }
  }

  @Benchmark
  public long clientWrite() {
    long id = nextId++;
    return client.write(
        tx -> tx.create("Task", id).set("Task", id, "text", Value.of("a new task")));
  }

  @Benchmark
  public Object clientRead() {
    return client.get(new ObjectKey("Task", 1 + random.nextInt(PRELOADED)));
  }

  @Benchmark
  public long rawWrite() throws Exception {
    long id = nextId++;
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(key(id), encodedTask);
      raw.write(rawWrites, batch);
    }
    return id;
  }

  @Benchmark
  public Object rawRead() throws Exception {
    byte[] value = raw.get(key(1 + random.nextInt(PRELOADED)));
    return ObjectCodec.decode(value);
  }

  private static byte[] key(long id) {
    return ByteBuffer.allocate(13).put((byte) 'o').put("Task".getBytes()).putLong(id).array();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    client.close();
    raw.close();
    rawOptions.close();
    rawWrites.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}

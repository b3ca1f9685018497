package io.tributary.client;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.session.ClientMeta;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;
import io.tributary.schemas.codec.AvroTrust;
import io.tributary.schemas.codec.ChangesetCodec;
import io.tributary.schemas.codec.ObjectCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * A client's copy in RocksDB: every change of one transaction or one download goes into one write
 * batch, which the replica reads through, and is written at commit, with the write-ahead log. A
 * killed process loses nothing committed and keeps nothing half done.
 *
 * <pre>
 * 'o' entity 0 id      an object's properties
 * 's' entity 0 id      an object of a STATE being received
 * 'p' clientVersion    a pending changeset
 * 'm'                  the meta record
 * </pre>
 */
final class RocksState implements ClientState {

  private static final byte OBJECT = 'o';
  private static final byte STAGED = 's';
  private static final byte PENDING = 'p';
  private static final byte[] META = {'m'};

  static {
    RocksDB.loadLibrary();
    AvroTrust.ensure(); // Decoding stored changesets may be the first Avro use of the process.
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();
  private final BatchObjects objects = new BatchObjects();
  private final LocalReplica replica;
  private ClientMeta meta;
  private WriteBatchWithIndex batch = new WriteBatchWithIndex(true);

  private RocksState(Options options, RocksDB db) {
    this.options = options;
    this.db = db;
    this.meta = ClientMeta.of(read(META));
    this.replica = new LocalReplica(objects, loadPending(), meta.serverVersion());
  }

  /** Opens (or creates) the copy in {@code directory}. */
  static RocksState open(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the client store " + directory, e);
    }
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new RocksState(options, RocksDB.open(options, directory.toString()));
    } catch (RocksDBException e) {
      options.close();
      throw new IllegalStateException(
          "cannot open the client store in " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public MutableObjectStore objects() {
    return objects;
  }

  @Override
  public LocalReplica replica() {
    return replica;
  }

  @Override
  public ClientMeta meta() {
    return meta;
  }

  @Override
  public void commit(ClientMeta newMeta) {
    LocalReplica.PendingChanges changes = replica.drainChanges();
    try {
      for (Changeset changeset : changes.written()) {
        batch.put(pendingKey(changeset.clientVersion()), encode(changeset));
      }
      for (long clientVersion : changes.removed()) {
        batch.delete(pendingKey(clientVersion));
      }
      batch.put(META, newMeta.toBytes());
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the client store: " + e.getMessage(), e);
    }
    batch.close();
    batch = new WriteBatchWithIndex(true);
    meta = newMeta;
  }

  @Override
  public SortedMap<ObjectKey, SortedMap<String, Value>> snapshot() {
    return committed(OBJECT);
  }

  @Override
  public SortedMap<ObjectKey, SortedMap<String, Value>> staged() {
    return committed(STAGED);
  }

  @Override
  public void stage(ObjectKey key, SortedMap<String, Value> properties) {
    try {
      batch.put(objectKey(STAGED, key), ObjectCodec.encode(properties));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes what was staged and committed: each segment of a transfer is committed as it comes. */
  @Override
  public void clearStaged() {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {STAGED}); it.isValid() && it.key()[0] == STAGED; it.next()) {
        batch.delete(it.key());
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The committed objects under {@code prefix}. */
  private SortedMap<ObjectKey, SortedMap<String, Value>> committed(byte prefix) {
    SortedMap<ObjectKey, SortedMap<String, Value>> all = new TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {prefix}); it.isValid() && it.key()[0] == prefix; it.next()) {
        all.put(objectKeyOf(it.key()), ObjectCodec.decode(it.value()));
      }
    }
    return all;
  }

  @Override
  public SortedMap<Long, SortedMap<String, Value>> objectsOf(String entity) {
    byte[] name = entity.getBytes(StandardCharsets.UTF_8);
    byte[] prefix =
        ByteBuffer.allocate(name.length + 2).put(OBJECT).put(name).put((byte) 0).array();
    SortedMap<Long, SortedMap<String, Value>> found = new TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        found.put(objectKeyOf(it.key()).id(), ObjectCodec.decode(it.value()));
      }
    }
    return found;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private List<Changeset> loadPending() {
    List<Changeset> pending = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {PENDING}); it.isValid() && it.key()[0] == PENDING; it.next()) {
        pending.add(decode(it.value()));
      }
    }
    return pending;
  }

  private byte[] read(byte[] key) {
    try (ReadOptions read = new ReadOptions()) {
      return batch.getFromBatchAndDB(db, read, key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the client store: " + e.getMessage(), e);
    }
  }

  private static byte[] pendingKey(long clientVersion) {
    return ByteBuffer.allocate(9).put(PENDING).putLong(clientVersion).array();
  }

  private static byte[] objectKey(ObjectKey key) {
    return objectKey(OBJECT, key);
  }

  private static byte[] objectKey(byte prefix, ObjectKey key) {
    byte[] entity = key.entity().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + entity.length + 1 + 8)
        .put(prefix)
        .put(entity)
        .put((byte) 0)
        .putLong(key.id())
        .array();
  }

  private static ObjectKey objectKeyOf(byte[] key) {
    int end = 1;
    while (key[end] != 0) {
      end++;
    }
    String entity = new String(key, 1, end - 1, StandardCharsets.UTF_8);
    return new ObjectKey(entity, ByteBuffer.wrap(key, end + 1, 8).getLong());
  }

  private static byte[] encode(Changeset changeset) {
    try {
      ByteBuffer buffer = ChangesetCodec.toAvro(changeset).toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Changeset decode(byte[] bytes) {
    try {
      return ChangesetCodec.fromAvro(io.tributary.schemas.Changeset.getDecoder().decode(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    batch.close();
    writeOptions.close();
    db.close();
    options.close();
  }

  /** The objects as the current batch leaves them: what the replica reads and writes. */
  private final class BatchObjects implements MutableObjectStore {
    @Override
    public Optional<SortedMap<String, Value>> get(ObjectKey key) {
      return Optional.ofNullable(read(objectKey(key))).map(ObjectCodec::decode);
    }

    @Override
    public void put(ObjectKey key, SortedMap<String, Value> properties) {
      try {
        batch.put(objectKey(key), ObjectCodec.encode(properties));
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void remove(ObjectKey key) {
      try {
        batch.delete(objectKey(key));
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

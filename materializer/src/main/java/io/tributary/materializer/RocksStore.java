package io.tributary.materializer;

import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.HistorySalt;
import io.tributary.core.state.ClientFile;
import io.tributary.core.state.MaterializedDataset;
import io.tributary.schemas.CatchUpEntry;
import io.tributary.schemas.codec.AvroTrust;
import io.tributary.schemas.codec.ChangesetCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/** The materializer's RocksDB: see {@link Keys} for the layout. */
public final class RocksStore implements AutoCloseable {

  static {
    RocksDB.loadLibrary();
    AvroTrust.ensure();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();
  private final StateSnapshots snapshots;

  private RocksStore(Options options, RocksDB db) {
    this.options = options;
    this.db = db;
    this.snapshots = new StateSnapshots(db);
  }

  public static RocksStore open(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the store directory " + directory, e);
    }
    Options options = new Options().setCreateIfMissing(true);
    try {
      return new RocksStore(options, RocksDB.open(options, directory.toString()));
    } catch (RocksDBException e) {
      options.close();
      throw new IllegalStateException(
          "cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
    }
  }

  PartitionProgress progress(int partition) {
    byte[] bytes = get(null, Keys.progress(partition));
    return bytes == null ? PartitionProgress.START : PartitionProgress.decode(bytes);
  }

  /** How far the store has applied each history partition it holds. */
  java.util.SortedMap<Integer, PartitionProgress> storedProgress() {
    java.util.SortedMap<Integer, PartitionProgress> stored = new java.util.TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {Keys.PROGRESS});
          it.isValid() && it.key()[0] == Keys.PROGRESS;
          it.next()) {
        stored.put(Keys.partitionOf(it.key()), PartitionProgress.decode(it.value()));
      }
    }
    return stored;
  }

  /**
   * The fence of a history partition as it stood before {@code offset}: its last marker accepted
   * before it. What a materializer needs to judge history it applied already, to publish it again.
   * Empty if the store knows no marker before it (a store from before they were kept): a history
   * partition's first record is a marker, so only offset 0 has none.
   */
  java.util.Optional<EpochFence> fenceBefore(int partition, long offset) {
    if (offset <= 0) {
      return java.util.Optional.of(new EpochFence());
    }
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(Keys.fence(partition, offset - 1));
      byte[] key = it.isValid() ? it.key() : null;
      if (key == null
          || key[0] != Keys.FENCE
          || java.nio.ByteBuffer.wrap(key, 1, 4).getInt() != partition) {
        return java.util.Optional.empty();
      }
      PartitionProgress marker = PartitionProgress.decode(it.value());
      return java.util.Optional.of(new EpochFence(marker.epoch(), marker.token()));
    }
  }

  /** Starts a batch: everything written through it becomes visible at once on commit. */
  Batch batch() {
    return new Batch();
  }

  /** The last materialized version of a dataset, 0 if it has none. */
  public long head(String dataset) {
    return HistoryPosition.of(get(null, Keys.head(dataset))).version();
  }

  /** Calls {@code each} with every dataset that has history, and its head version. */
  public void forEachHead(java.util.function.ObjLongConsumer<String> each) {
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(new byte[] {Keys.HEAD}); it.isValid() && it.key()[0] == Keys.HEAD; it.next()) {
        byte[] key = it.key();
        String dataset =
            new String(key, 1, key.length - 1, java.nio.charset.StandardCharsets.UTF_8);
        each.accept(dataset, HistoryPosition.of(it.value()).version());
      }
    }
  }

  public Optional<ClientFile> client(String dataset, long ident) {
    return Optional.ofNullable(get(null, Keys.client(dataset, ident)))
        .map(bytes -> StoredValues.client(ident, bytes));
  }

  /**
   * A consistent view of the history after {@code after}, at most about {@code maxBytes} (always at
   * least one entry), with the upload progress of client {@code ident} as of the range's end.
   */
  public HistoryRange history(String dataset, long after, int maxBytes, long ident) {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
        RocksIterator it = db.newIterator(read)) {
      HistoryPosition headPosition = HistoryPosition.of(db.get(read, Keys.head(dataset)));
      long head = headPosition.version();
      byte[] prefix = Keys.historyPrefix(dataset);
      List<CatchUpEntry> entries = new ArrayList<>();
      long ownProgress = 0;
      int bytes = 0;
      for (it.seek(Keys.history(dataset, after + 1));
          it.isValid() && startsWith(it.key(), prefix);
          it.next()) {
        byte[] value = it.value();
        if (!entries.isEmpty() && bytes + value.length > maxBytes) {
          break;
        }
        bytes += value.length;
        HistoryPosition position = HistoryPosition.ofEntry(Keys.versionOf(it.key()), value);
        CatchUpEntry entry =
            new CatchUpEntry(
                position.version(),
                position.salt(),
                position.historyBytes(),
                decodeChangeset(HistoryPosition.changesetOf(value)));
        if (entry.getChangeset().getOriginIdent() == ident) {
          ownProgress = entry.getChangeset().getClientVersion();
        }
        entries.add(entry);
      }
      long end = entries.isEmpty() ? after : entries.get(entries.size() - 1).getServerVersion();
      // Progress past the range's end would acknowledge a changeset that history entries still
      // to be sent were transformed against: the client must keep it pending until then.
      long progress = end == head ? clientProgress(read, dataset, ident) : ownProgress;
      return new HistoryRange(head, headPosition.historyBytes(), progress, entries);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read history of " + dataset, e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  private long clientProgress(ReadOptions read, String dataset, long ident)
      throws RocksDBException {
    byte[] bytes = db.get(read, Keys.client(dataset, ident));
    return bytes == null ? 0 : StoredValues.client(ident, bytes).lastIntegratedVersion();
  }

  /** Every object of a dataset, sorted by key. */
  public SortedMap<ObjectKey, SortedMap<String, Value>> objects(String dataset) {
    byte[] prefix = Keys.objects(dataset);
    SortedMap<ObjectKey, SortedMap<String, Value>> objects = new TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        Keys.ObjectKeyParts parts = Keys.parseObject(it.key(), prefix.length);
        objects.put(new ObjectKey(parts.entity(), parts.id()), StoredValues.object(it.value()));
      }
    }
    return objects;
  }

  /**
   * Up to {@code limit} objects of one entity of a dataset whose ids come after {@code afterId}, by
   * id: a page of the admin UI's object browser.
   */
  public SortedMap<Long, SortedMap<String, Value>> objects(
      String dataset, String entity, long afterId, int limit) {
    return objectsAtHead(dataset, entity, afterId, limit).objects();
  }

  /** Objects read at one moment, with the dataset's head then. */
  public record AtHead(long head, SortedMap<Long, SortedMap<String, Value>> objects) {}

  /**
   * Up to {@code limit} objects of one (stored) entity of a dataset whose ids come after {@code
   * afterId} (unsigned), and the head they are the state of: both read from one snapshot.
   */
  public AtHead objectsAtHead(String dataset, String entity, long afterId, int limit) {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
        RocksIterator it = db.newIterator(read)) {
      long head = HistoryPosition.of(db.get(read, Keys.head(dataset))).version();
      byte[] prefix = Keys.entityObjects(dataset, entity);
      SortedMap<Long, SortedMap<String, Value>> page = new TreeMap<>(Long::compareUnsigned);
      it.seek(Keys.object(dataset, entity, afterId));
      for (; it.isValid() && startsWith(it.key(), prefix) && page.size() < limit; it.next()) {
        long id = Keys.parseObject(it.key(), Keys.objects(dataset).length).id();
        if (id != afterId) {
          page.put(id, StoredValues.object(it.value()));
        }
      }
      return new AtHead(head, page);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the objects of " + dataset, e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  /** Up to {@code limit} datasets named after {@code after} (empty: from the first), with heads. */
  public SortedMap<String, Long> datasets(String after, int limit) {
    SortedMap<String, Long> page = new TreeMap<>();
    try (RocksIterator it = db.newIterator()) {
      it.seek(Keys.head(after));
      for (; it.isValid() && it.key()[0] == Keys.HEAD && page.size() < limit; it.next()) {
        byte[] key = it.key();
        String dataset =
            new String(key, 1, key.length - 1, java.nio.charset.StandardCharsets.UTF_8);
        if (!dataset.equals(after)) {
          page.put(dataset, HistoryPosition.of(it.value()).version());
        }
      }
    }
    return page;
  }

  /**
   * Every key and value, for comparing two stores byte for byte; without the outbox, which holds
   * what is on its way out rather than state.
   */
  public List<byte[][]> dump() {
    List<byte[][]> entries = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (it.key()[0] != Keys.OUTBOX && it.key()[0] != Keys.UNPARTITIONED_OUTBOX) {
          entries.add(new byte[][] {it.key(), it.value()});
        }
      }
    }
    return entries;
  }

  /**
   * For each partition, a sequence below which its outbox holds nothing: entries leave it from the
   * front only (published in order, or trimmed below a mark), so reads need not step over the
   * tombstones of those before.
   */
  private final java.util.concurrent.ConcurrentMap<Integer, Long> outboxFloor =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A change event in the outbox of a history partition, under its sequence number. */
  record OutboxEntry(int partition, long sequence, byte[] event) {}

  /**
   * The oldest {@code limit} change events of a partition's outbox from sequence {@code from} on.
   * Published events leave tombstones until a compaction: seeking past them to where publishing
   * stopped, and no further than the partition's outbox, keeps a read from stepping over them.
   */
  List<OutboxEntry> outbox(int partition, long from, int limit) {
    List<OutboxEntry> entries = new ArrayList<>();
    try (Slice end = new Slice(Keys.outbox(partition + 1));
        ReadOptions read = new ReadOptions().setIterateUpperBound(end);
        RocksIterator it = db.newIterator(read)) {
      long start = Math.max(from, outboxFloor.getOrDefault(partition, 0L));
      for (it.seek(Keys.outbox(partition, start));
          it.isValid() && entries.size() < limit;
          it.next()) {
        entries.add(new OutboxEntry(partition, Keys.sequenceOf(it.key()), it.value()));
      }
    }
    return entries;
  }

  /** The history offset of the first event of a partition's outbox; empty if it has none. */
  java.util.OptionalLong firstOutboxOffset(int partition) {
    List<OutboxEntry> first = outbox(partition, 0, 1);
    return first.isEmpty()
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(PendingEvent.offsetOf(first.get(0).event()));
  }

  /** The partitions whose outbox holds events. */
  Set<Integer> outboxPartitions() {
    Set<Integer> partitions = new java.util.TreeSet<>();
    try (Slice end = new Slice(new byte[] {(byte) (Keys.OUTBOX + 1)});
        ReadOptions read = new ReadOptions().setIterateUpperBound(end);
        RocksIterator it = db.newIterator(read)) {
      for (it.seek(new byte[] {Keys.OUTBOX}); it.isValid(); ) {
        int partition = Keys.partitionOfOutbox(it.key());
        partitions.add(partition);
        it.seek(Keys.outbox(partition + 1));
      }
    }
    return partitions;
  }

  /**
   * Removes a partition's events of history records before {@code offset}, which another member has
   * published; returns how many. Plain deletes: the publisher may remove the same entries at once,
   * and a key single-deleted twice is undefined in RocksDB.
   */
  int trimOutbox(int partition, long offset) {
    int trimmed = 0;
    while (true) {
      List<OutboxEntry> page = outbox(partition, 0, 1_000);
      List<OutboxEntry> below = new ArrayList<>();
      for (OutboxEntry entry : page) {
        if (PendingEvent.offsetOf(entry.event()) >= offset) {
          break;
        }
        below.add(entry);
      }
      remove(below, false);
      trimmed += below.size();
      if (below.size() < page.size() || page.size() < 1_000) {
        return trimmed;
      }
    }
  }

  /**
   * The change events of an outbox from before it was kept by partition ({@code 'e' sequence}):
   * those an active of that time had not sent. Whoever holds them sends them first; they are never
   * trimmed (their history offset is unknown).
   */
  List<OutboxEntry> unpartitionedOutbox(int limit) {
    List<OutboxEntry> entries = new ArrayList<>();
    try (Slice end = new Slice(new byte[] {(byte) (Keys.UNPARTITIONED_OUTBOX + 1)});
        ReadOptions read = new ReadOptions().setIterateUpperBound(end);
        RocksIterator it = db.newIterator(read)) {
      for (it.seek(new byte[] {Keys.UNPARTITIONED_OUTBOX});
          it.isValid() && entries.size() < limit;
          it.next()) {
        long sequence = java.nio.ByteBuffer.wrap(it.key(), 1, 8).getLong();
        entries.add(
            new OutboxEntry(PendingEvent.decode(it.value()).partition(), sequence, it.value()));
      }
    }
    return entries;
  }

  void removeUnpartitionedOutbox(List<OutboxEntry> published) {
    try (WriteBatch batch = new WriteBatch()) {
      for (OutboxEntry entry : published) {
        batch.delete(unpartitionedKey(entry.sequence()));
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB delete failed", e);
    }
  }

  /** Writes an event the way the outbox kept them before partitions: for tests of that case. */
  void putUnpartitionedOutbox(long sequence, PendingEvent event) {
    try {
      db.put(writeOptions, unpartitionedKey(sequence), event.encode());
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB put failed", e);
    }
  }

  private static byte[] unpartitionedKey(long sequence) {
    return java.nio.ByteBuffer.allocate(9).put(Keys.UNPARTITIONED_OUTBOX).putLong(sequence).array();
  }

  /** The schema version change events were last published under; 0 if none. */
  int publishedSchema() {
    byte[] bytes = get(null, Keys.PUBLISHED_SCHEMA);
    return bytes == null ? 0 : (int) StoredValues.longValue(bytes);
  }

  void putPublishedSchema(int version) {
    try {
      db.put(writeOptions, Keys.PUBLISHED_SCHEMA, StoredValues.longValue(version));
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB write failed", e);
    }
  }

  /** An object of a dataset, under the names history stores. */
  record StoredObject(String dataset, ObjectKey key, SortedMap<String, Value> properties) {}

  /**
   * Every object of these (stored) entities, in every dataset, read one at a time from a snapshot
   * of the store; close the stream.
   */
  java.util.stream.Stream<StoredObject> objectsOf(java.util.Set<String> entities) {
    Snapshot snapshot = db.getSnapshot();
    ReadOptions read = new ReadOptions().setSnapshot(snapshot);
    RocksIterator it = db.newIterator(read);
    it.seek(new byte[] {Keys.OBJECT});
    java.util.Iterator<StoredObject> objects =
        new java.util.Iterator<>() {
          private StoredObject next = advance();

          private StoredObject advance() {
            for (; it.isValid() && it.key()[0] == Keys.OBJECT; it.next()) {
              byte[] key = it.key();
              String dataset = Keys.datasetOfObject(key);
              Keys.ObjectKeyParts parts =
                  Keys.parseObject(
                      key, dataset.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2);
              if (entities.contains(parts.entity())) {
                StoredObject object =
                    new StoredObject(
                        dataset,
                        new ObjectKey(parts.entity(), parts.id()),
                        StoredValues.object(it.value()));
                it.next();
                return object;
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public StoredObject next() {
            if (next == null) {
              throw new java.util.NoSuchElementException();
            }
            StoredObject current = next;
            next = advance();
            return current;
          }
        };
    return java.util.stream.StreamSupport.stream(
            java.util.Spliterators.spliteratorUnknownSize(objects, 0), false)
        .onClose(
            () -> {
              it.close();
              read.close();
              db.releaseSnapshot(snapshot);
            });
  }

  /** The sequence number the next change event of the outbox gets: one more than any. */
  long nextOutboxSequence() {
    long next = 0;
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(unpartitionedKey(Long.MAX_VALUE));
      if (it.isValid() && it.key()[0] == Keys.UNPARTITIONED_OUTBOX) {
        next = java.nio.ByteBuffer.wrap(it.key(), 1, 8).getLong() + 1;
      }
      for (int partition : outboxPartitions()) {
        it.seekForPrev(Keys.outbox(partition, Long.MAX_VALUE));
        next = Math.max(next, Keys.sequenceOf(it.key()) + 1);
      }
    }
    return next;
  }

  /**
   * Removes published change events from the outbox. One single-delete per key rather than a range
   * delete: every range tombstone in the memtable slows every read of the store until a flush, and
   * an outbox key is written once and deleted once, which is what single-deletes are for.
   */
  void removeOutbox(List<OutboxEntry> published) {
    remove(published, true);
  }

  private void remove(List<OutboxEntry> entries, boolean single) {
    if (entries.isEmpty()) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (OutboxEntry entry : entries) {
        byte[] key = Keys.outbox(entry.partition(), entry.sequence());
        if (single) {
          batch.singleDelete(key);
        } else {
          batch.delete(key);
        }
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB delete failed", e);
    }
    // Entries leave from the front of their partition's outbox: nothing lives below the last.
    for (OutboxEntry entry : entries) {
      outboxFloor.merge(entry.partition(), entry.sequence() + 1, Math::max);
    }
  }

  /** Ranges served to gateways for catch-up. */
  public record HistoryRange(
      long head, long headHistoryBytes, long uploadProgress, List<CatchUpEntry> entries) {}

  /**
   * The position of {@code version} in a dataset's history; empty if the history has no such
   * version (version 0 is always there, the empty history).
   */
  public Optional<HistoryPosition> position(String dataset, long version) {
    if (version == 0) {
      return Optional.of(HistoryPosition.EMPTY);
    }
    return Optional.ofNullable(get(null, Keys.history(dataset, version)))
        .map(value -> HistoryPosition.ofEntry(version, value));
  }

  /** Where a dataset's history ends, and a client file's last changeset in it, read together. */
  public record ClientProgress(long head, long lastClientVersion) {}

  public ClientProgress progress(String dataset, long ident) {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
      return new ClientProgress(
          HistoryPosition.of(db.get(read, Keys.head(dataset))).version(),
          clientProgress(read, dataset, ident));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read progress of " + dataset, e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  private static io.tributary.schemas.Changeset decodeChangeset(byte[] bytes) {
    try {
      return io.tributary.schemas.Changeset.getDecoder().decode(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private byte[] get(WriteBatchWithIndex batch, byte[] key) {
    try {
      if (batch == null) {
        return db.get(key);
      }
      try (ReadOptions read = new ReadOptions()) {
        return batch.getFromBatchAndDB(db, read, key);
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB read failed", e);
    }
  }

  /**
   * The first page of {@code dataset}'s objects in a new snapshot at its head, with client {@code
   * ident}'s upload progress there.
   */
  public io.tributary.schemas.StatePage state(String dataset, long ident, int maxBytes) {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
      HistoryPosition head = HistoryPosition.of(db.get(read, Keys.head(dataset)));
      return snapshots.first(
          dataset, head, clientProgress(read, dataset, ident), snapshot, maxBytes);
    } catch (RocksDBException e) {
      db.releaseSnapshot(snapshot);
      throw new IllegalStateException("cannot read the state of " + dataset, e);
    }
  }

  /** The next page of an open state snapshot; null if it is closed or unknown (expired). */
  public io.tributary.schemas.StatePage stateNext(String snapshot, String cursor, int maxBytes) {
    return snapshots.next(snapshot, cursor, maxBytes);
  }

  @Override
  public void close() {
    snapshots.close();
    writeOptions.close();
    db.close();
    options.close();
  }

  /** Writes that become visible together, reads that see them before they do. */
  final class Batch implements AutoCloseable {
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);

    MaterializedDataset dataset(String name) {
      return new BatchDataset(name);
    }

    void putOutbox(long sequence, PendingEvent event) {
      put(Keys.outbox(event.partition(), sequence), event.encode());
    }

    void putProgress(int partition, PartitionProgress progress) {
      put(Keys.progress(partition), progress.encode());
    }

    /** Notes a marker the fence accepted, so that the fence before any offset can be found. */
    void putFence(int partition, long offset, long epoch, String token) {
      put(Keys.fence(partition, offset), new PartitionProgress(offset, epoch, token).encode());
    }

    void commit() {
      try {
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw new IllegalStateException("RocksDB write failed", e);
      }
    }

    private void put(byte[] key, byte[] value) {
      try {
        batch.put(key, value);
      } catch (RocksDBException e) {
        throw new IllegalStateException("RocksDB batch put failed", e);
      }
    }

    private void delete(byte[] key) {
      try {
        batch.delete(key);
      } catch (RocksDBException e) {
        throw new IllegalStateException("RocksDB batch delete failed", e);
      }
    }

    @Override
    public void close() {
      batch.close();
    }

    private final class BatchDataset implements MaterializedDataset {
      private final String dataset;

      BatchDataset(String dataset) {
        this.dataset = dataset;
      }

      @Override
      public Optional<SortedMap<String, Value>> get(ObjectKey key) {
        return Optional.ofNullable(RocksStore.this.get(batch, objectKey(key)))
            .map(StoredValues::object);
      }

      @Override
      public void put(ObjectKey key, SortedMap<String, Value> properties) {
        Batch.this.put(objectKey(key), StoredValues.object(properties));
      }

      @Override
      public void remove(ObjectKey key) {
        delete(objectKey(key));
      }

      @Override
      public void appendHistory(HistoryEntry entry) {
        byte[] changeset;
        try {
          changeset = StoredValues.toBytes(ChangesetCodec.toAvro(entry.changeset()).toByteBuffer());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        HistoryPosition previous =
            HistoryPosition.of(RocksStore.this.get(batch, Keys.head(dataset)));
        HistoryPosition position =
            new HistoryPosition(
                entry.version(),
                HistorySalt.next(previous.salt(), entry.version(), changeset),
                previous.historyBytes() + changeset.length);
        Batch.this.put(Keys.history(dataset, entry.version()), position.entryValue(changeset));
        Batch.this.put(Keys.head(dataset), position.toBytes());
      }

      @Override
      public Optional<ClientFile> client(long ident) {
        return Optional.ofNullable(RocksStore.this.get(batch, Keys.client(dataset, ident)))
            .map(bytes -> StoredValues.client(ident, bytes));
      }

      @Override
      public void putClient(ClientFile client) {
        Batch.this.put(Keys.client(dataset, client.ident()), StoredValues.client(client));
      }

      private byte[] objectKey(ObjectKey key) {
        return Keys.object(dataset, key.entity(), key.id());
      }
    }
  }
}

package io.tributary.materializer;

import io.tributary.schemas.StateObject;
import io.tributary.schemas.StatePage;
import io.tributary.schemas.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * Consistent views of datasets for STATE transfers, served page by page: the first page opens a
 * RocksDB snapshot, later pages name it, the last page releases it. A snapshot nobody asked for
 * within {@link #IDLE_NANOS} is released too, so an abandoned transfer holds nothing for long.
 */
final class StateSnapshots implements AutoCloseable {

  private static final long IDLE_NANOS = 60_000_000_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Open(
      Snapshot snapshot, String dataset, HistoryPosition position, long uploadProgress) {}

  private final RocksDB db;
  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();

  StateSnapshots(RocksDB db) {
    this.db = db;
  }

  /** Opens a snapshot of {@code dataset} at its head and returns its first page. */
  StatePage first(
      String dataset, HistoryPosition head, long uploadProgress, Snapshot snapshot, int maxBytes) {
    String token = newToken();
    open.put(token, new Open(snapshot, dataset, head, uploadProgress));
    lastUsed.put(token, System.nanoTime());
    return page(token, Keys.objects(dataset), maxBytes);
  }

  /** The page after {@code cursor} of an open snapshot; null if there is no such snapshot. */
  StatePage next(String token, String cursor, int maxBytes) {
    releaseIdle();
    if (!open.containsKey(token)) {
      return null;
    }
    lastUsed.put(token, System.nanoTime());
    byte[] after = HexFormat.of().parseHex(cursor);
    byte[] seek = java.util.Arrays.copyOf(after, after.length + 1); // Just past the last key.
    return page(token, seek, maxBytes);
  }

  private StatePage page(String token, byte[] seek, int maxBytes) {
    Open view = open.get(token);
    byte[] prefix = Keys.objects(view.dataset());
    List<StateObject> objects = new ArrayList<>();
    byte[] lastKey = null;
    int bytes = 0;
    boolean more = false;
    try (ReadOptions read = new ReadOptions().setSnapshot(view.snapshot());
        RocksIterator it = db.newIterator(read)) {
      for (it.seek(seek); it.isValid() && RocksStore.startsWith(it.key(), prefix); it.next()) {
        if (!objects.isEmpty() && bytes + it.value().length > maxBytes) {
          more = true;
          break;
        }
        byte[] key = it.key();
        byte[] value = it.value();
        Keys.ObjectKeyParts parts = Keys.parseObject(key, prefix.length);
        objects.add(new StateObject(parts.entity(), parts.id(), properties(value)));
        bytes += value.length;
        lastKey = key;
      }
    }
    if (!more) {
      release(token);
    }
    return new StatePage(
        token,
        view.position().version(),
        view.position().salt(),
        view.uploadProgress(),
        objects,
        more ? HexFormat.of().formatHex(lastKey) : null);
  }

  private static List<io.tributary.schemas.StoredProperty> properties(byte[] stored) {
    try {
      return StoredObject.getDecoder().decode(stored).getProperties();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void releaseIdle() {
    long now = System.nanoTime();
    for (Iterator<Map.Entry<String, Long>> it = lastUsed.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> entry = it.next();
      if (now - entry.getValue() > IDLE_NANOS) {
        release(entry.getKey());
      }
    }
  }

  private void release(String token) {
    lastUsed.remove(token);
    Open view = open.remove(token);
    if (view != null) {
      db.releaseSnapshot(view.snapshot());
    }
  }

  int openCount() {
    return open.size();
  }

  private static String newToken() {
    byte[] token = new byte[12];
    RANDOM.nextBytes(token);
    return HexFormat.of().formatHex(token);
  }

  @Override
  public void close() {
    List.copyOf(open.keySet()).forEach(this::release);
  }
}

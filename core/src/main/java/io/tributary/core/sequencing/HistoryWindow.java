package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recent history of a dataset that uploads are transformed against, indexed by object: an
 * upload is transformed only against the entries that touch its objects, so its cost follows the
 * changes that can conflict with it, not everything its client had not seen.
 *
 * <p>The window is the last {@code limit} entries; their versions follow each other. Each has its
 * position in the history log (known once the log has acknowledged it). The newest entries are held
 * in memory; a window restored from a checkpoint holds none at first and reads the older ones from
 * its {@link WindowSource} when an upload first needs them, so that it answers exactly as the
 * window it was checkpointed from.
 */
final class HistoryWindow {

  /** The position of an entry the log has not acknowledged yet. */
  static final long UNKNOWN = -1;

  private final int limit;
  private final WindowSource source;
  private final LongDeque positions = new LongDeque();
  private final ArrayDeque<HistoryEntry> resident = new ArrayDeque<>();
  private final Map<ObjectKey, ArrayDeque<HistoryEntry>> byObject = new HashMap<>();
  private long newest;

  HistoryWindow(int limit) {
    this(limit, WindowSource.NONE);
  }

  private HistoryWindow(int limit, WindowSource source) {
    this.limit = limit;
    this.source = source;
  }

  /**
   * A window whose entries end at version {@code newest} and lie at {@code positions} (oldest
   * first), none held yet.
   */
  static HistoryWindow restored(int limit, long newest, long[] positions, WindowSource source) {
    HistoryWindow window = new HistoryWindow(limit, source);
    window.newest = newest;
    int skipped = Math.max(0, positions.length - limit); // A smaller limit than the checkpoint's.
    for (int i = skipped; i < positions.length; i++) {
      window.positions.addLast(positions[i]);
    }
    return window;
  }

  void add(HistoryEntry entry, long position) {
    if (positions.size() > 0 && entry.version() != newest + 1) {
      // A gap in history (a record nobody could read): nothing before it can be transformed
      // against any more, and an upload on an older base is told to reset.
      positions.clear();
      resident.clear();
      byObject.clear();
    }
    newest = entry.version();
    positions.addLast(position);
    resident.addLast(entry);
    for (ObjectKey key : objectsOf(entry.changeset())) {
      byObject.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
    }
    if (positions.size() > limit) {
      positions.removeFirst();
      if (resident.size() > positions.size()) {
        evict(resident.removeFirst());
      }
    }
  }

  /** Records where the log put the entry of {@code version}, once it has acknowledged it. */
  void positioned(long version, long position) {
    long index = version - oldestVersion(newest);
    if (index >= 0 && index < positions.size()) {
      positions.set((int) index, position);
    }
  }

  /** The positions of the entries, oldest first; every one must be acknowledged. */
  long[] positions() {
    long[] all = positions.toArray();
    for (long position : all) {
      if (position == UNKNOWN) {
        throw new IllegalStateException("an entry of the window is not acknowledged yet");
      }
    }
    return all;
  }

  /** The version of the oldest entry kept, or {@code head + 1} if none is. */
  long oldestVersion(long head) {
    return positions.size() == 0 ? head + 1 : newest - positions.size() + 1;
  }

  /**
   * The entries after {@code base} that touch one of {@code objects}, in history order. The
   * transform looks at nothing else: conflicts only ever concern the same object.
   */
  List<HistoryEntry> touching(long base, Set<ObjectKey> objects) {
    holdAfter(base);
    TreeMap<Long, HistoryEntry> found = new TreeMap<>();
    for (ObjectKey key : objects) {
      ArrayDeque<HistoryEntry> touchingKey = byObject.get(key);
      if (touchingKey == null) {
        continue;
      }
      for (Iterator<HistoryEntry> it = touchingKey.descendingIterator(); it.hasNext(); ) {
        HistoryEntry entry = it.next();
        if (entry.version() <= base) {
          break;
        }
        found.put(entry.version(), entry);
      }
    }
    return new ArrayList<>(found.values());
  }

  /** Whether every entry after {@code base} comes from {@code client}. */
  boolean onlyFrom(long base, long client) {
    holdAfter(base);
    for (Iterator<HistoryEntry> it = resident.descendingIterator(); it.hasNext(); ) {
      HistoryEntry entry = it.next();
      if (entry.version() <= base) {
        return true;
      }
      if (entry.changeset().originIdent() != client) {
        return false;
      }
    }
    return true;
  }

  static Set<ObjectKey> objectsOf(Changeset changeset) {
    Set<ObjectKey> keys = new LinkedHashSet<>();
    for (Instruction instruction : changeset.instructions()) {
      keys.add(instruction.object());
    }
    return keys;
  }

  /** Reads the entries after {@code base} that are not in memory yet, oldest first. */
  private void holdAfter(long base) {
    long oldest = oldestVersion(newest);
    long from = Math.max(base + 1, oldest);
    long heldFrom = resident.isEmpty() ? newest + 1 : resident.peekFirst().version();
    if (from >= heldFrom) {
      return;
    }
    long[] wanted = new long[(int) (heldFrom - from)];
    for (int i = 0; i < wanted.length; i++) {
      wanted[i] = positions.get((int) (from - oldest) + i);
    }
    List<Changeset> read = source.changesetsAt(wanted);
    for (int i = wanted.length - 1; i >= 0; i--) {
      HistoryEntry entry = new HistoryEntry(from + i, read.get(i));
      resident.addFirst(entry);
      for (ObjectKey key : objectsOf(entry.changeset())) {
        byObject.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(entry);
      }
    }
  }

  private void evict(HistoryEntry oldest) {
    for (ObjectKey key : objectsOf(oldest.changeset())) {
      ArrayDeque<HistoryEntry> touchingKey = byObject.get(key);
      touchingKey.removeFirst(); // Entries are held in order: the oldest is first everywhere.
      if (touchingKey.isEmpty()) {
        byObject.remove(key);
      }
    }
  }
}

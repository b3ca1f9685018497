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
 */
final class HistoryWindow {

  private final int limit;
  private final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
  private final Map<ObjectKey, ArrayDeque<HistoryEntry>> byObject = new HashMap<>();

  HistoryWindow(int limit) {
    this.limit = limit;
  }

  void add(HistoryEntry entry) {
    entries.addLast(entry);
    for (ObjectKey key : objectsOf(entry.changeset())) {
      byObject.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
    }
    if (entries.size() > limit) {
      evict(entries.removeFirst());
    }
  }

  /** The version of the oldest entry kept, or {@code head + 1} if none is. */
  long oldestVersion(long head) {
    return entries.isEmpty() ? head + 1 : entries.peekFirst().version();
  }

  /**
   * The entries after {@code base} that touch one of {@code objects}, in history order. The
   * transform looks at nothing else: conflicts only ever concern the same object.
   */
  List<HistoryEntry> touching(long base, Set<ObjectKey> objects) {
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
    for (Iterator<HistoryEntry> it = entries.descendingIterator(); it.hasNext(); ) {
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

  private void evict(HistoryEntry oldest) {
    for (ObjectKey key : objectsOf(oldest.changeset())) {
      ArrayDeque<HistoryEntry> touchingKey = byObject.get(key);
      touchingKey.removeFirst(); // Entries are added in order: the oldest is first everywhere.
      if (touchingKey.isEmpty()) {
        byObject.remove(key);
      }
    }
  }
}

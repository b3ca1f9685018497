package io.tributary.core.sequencing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The idempotency keys of a dataset's latest backend writes and the versions they were integrated
 * at: a retried write within the last {@link #KEPT} is answered, not applied again. Bounded, so
 * that a backend's keys cannot grow a sequencer's memory without end.
 */
final class RecentWrites {

  /** How many writes of a dataset a retry can come after and still apply once. */
  static final int KEPT = 10_000;

  private final Map<String, Long> versions;

  RecentWrites(int kept) {
    this.versions =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > kept;
          }
        };
  }

  Long get(String idempotencyKey) {
    return versions.get(idempotencyKey);
  }

  void put(String idempotencyKey, long version) {
    versions.putIfAbsent(idempotencyKey, version);
  }

  /** The keys kept, oldest first, for a checkpoint; putting them back in order restores them. */
  java.util.List<SequencerSnapshot.RecentWrite> inOrder() {
    return versions.entrySet().stream()
        .map(e -> new SequencerSnapshot.RecentWrite(e.getKey(), e.getValue()))
        .toList();
  }
}

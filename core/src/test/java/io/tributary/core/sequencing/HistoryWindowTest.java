package io.tributary.core.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {

  private static final ObjectKey A = new ObjectKey("Task", 1);
  private static final ObjectKey B = new ObjectKey("Task", 2);
  private static final ObjectKey C = new ObjectKey("Task", 3);

  @Test
  void findsTheEntriesAfterTheBaseThatTouchTheObjectsInHistoryOrder() {
    HistoryWindow window = new HistoryWindow(100);
    Changeset v1 = touching(1, A);
    Changeset v2 = touching(2, B);
    Changeset v3 = touching(3, A, B);
    Changeset v4 = touching(4, C);
    window.add(new HistoryEntry(1, v1), 10);
    window.add(new HistoryEntry(2, v2), 20);
    window.add(new HistoryEntry(3, v3), 30);
    window.add(new HistoryEntry(4, v4), 40);

    assertThat(changesets(window.touching(0, Set.of(A, B)))).containsExactly(v1, v2, v3);
    assertThat(changesets(window.touching(2, Set.of(A)))).containsExactly(v3);
    assertThat(window.touching(4, Set.of(A, B, C))).isEmpty();
  }

  @Test
  void forgetsTheOldestEntriesBeyondItsLimit() {
    HistoryWindow window = new HistoryWindow(2);
    window.add(new HistoryEntry(1, touching(1, A)), 10);
    window.add(new HistoryEntry(2, touching(2, A, B)), 20);
    Changeset v3 = touching(3, A);
    window.add(new HistoryEntry(3, v3), 30);

    assertThat(window.oldestVersion(3)).isEqualTo(2);
    assertThat(changesets(window.touching(0, Set.of(A)))).hasSize(2).endsWith(v3);
    assertThat(new HistoryWindow(2).oldestVersion(7)).as("empty").isEqualTo(8);
  }

  /**
   * A window restored from its positions reads an entry from the log the first time an upload needs
   * it, and only then; it answers as the window it was checkpointed from.
   */
  @Test
  void aRestoredWindowReadsWhatAnUploadNeedsFromTheLogOnce() {
    java.util.Map<Long, Changeset> log = new java.util.HashMap<>();
    HistoryWindow original = new HistoryWindow(3);
    for (long version = 1; version <= 5; version++) {
      Changeset changeset = touching(version, version % 2 == 0 ? A : B);
      log.put(version * 10, changeset);
      original.add(new HistoryEntry(version, changeset), HistoryWindow.UNKNOWN);
      original.positioned(version, version * 10);
    }
    java.util.List<Long> read = new java.util.ArrayList<>();
    HistoryWindow restored =
        HistoryWindow.restored(
            3,
            5,
            original.positions(),
            positions -> {
              java.util.Arrays.stream(positions).forEach(read::add);
              return java.util.Arrays.stream(positions).mapToObj(log::get).toList();
            });

    assertThat(restored.positions()).containsExactly(30, 40, 50);
    assertThat(restored.oldestVersion(5)).isEqualTo(3);
    assertThat(restored.touching(4, Set.of(A, B))).isEqualTo(original.touching(4, Set.of(A, B)));
    assertThat(read).containsExactly(50L);
    assertThat(restored.touching(0, Set.of(A))).isEqualTo(original.touching(0, Set.of(A)));
    assertThat(restored.onlyFrom(2, 1)).isEqualTo(original.onlyFrom(2, 1));
    assertThat(read).as("each entry read once").containsExactly(50L, 30L, 40L);

    Changeset v6 = touching(6, A);
    restored.add(new HistoryEntry(6, v6), 60);
    original.add(new HistoryEntry(6, v6), 60);
    assertThat(restored.positions()).isEqualTo(original.positions()).containsExactly(40, 50, 60);
    assertThat(restored.touching(0, Set.of(A, B))).isEqualTo(original.touching(0, Set.of(A, B)));
  }

  @Test
  void aGapInHistoryEmptiesTheWindowRatherThanBreakingIt() {
    HistoryWindow window = new HistoryWindow(10);
    window.add(new HistoryEntry(1, touching(1, A)), 10);
    window.add(new HistoryEntry(3, touching(3, A)), 30); // Version 2 could not be read.

    assertThat(window.oldestVersion(3)).isEqualTo(3);
    assertThat(changesets(window.touching(0, Set.of(A)))).containsExactly(touching(3, A));
    assertThat(window.positions()).containsExactly(30);
  }

  @Test
  void aWindowWithAnUnacknowledgedEntryCannotBeCheckpointed() {
    HistoryWindow window = new HistoryWindow(3);
    window.add(new HistoryEntry(1, touching(1, A)), HistoryWindow.UNKNOWN);
    org.assertj.core.api.Assertions.assertThatThrownBy(window::positions)
        .isInstanceOf(IllegalStateException.class);
    window.positioned(1, 7);
    assertThat(window.positions()).containsExactly(7);
  }

  private static java.util.List<Changeset> changesets(java.util.List<HistoryEntry> entries) {
    return entries.stream().map(HistoryEntry::changeset).toList();
  }

  private static Changeset touching(long version, ObjectKey... objects) {
    return new Changeset(
        version,
        version - 1,
        version,
        1,
        java.util.Arrays.stream(objects)
            .map(k -> (Instruction) new Instruction.CreateObject(k))
            .toList());
  }
}

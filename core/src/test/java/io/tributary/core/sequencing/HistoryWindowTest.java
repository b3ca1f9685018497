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
    window.add(new HistoryEntry(1, v1));
    window.add(new HistoryEntry(2, v2));
    window.add(new HistoryEntry(3, v3));
    window.add(new HistoryEntry(4, v4));

    assertThat(changesets(window.touching(0, Set.of(A, B)))).containsExactly(v1, v2, v3);
    assertThat(changesets(window.touching(2, Set.of(A)))).containsExactly(v3);
    assertThat(window.touching(4, Set.of(A, B, C))).isEmpty();
  }

  @Test
  void forgetsTheOldestEntriesBeyondItsLimit() {
    HistoryWindow window = new HistoryWindow(2);
    window.add(new HistoryEntry(1, touching(1, A)));
    window.add(new HistoryEntry(2, touching(2, A, B)));
    Changeset v3 = touching(3, A);
    window.add(new HistoryEntry(3, v3));

    assertThat(window.oldestVersion(3)).isEqualTo(2);
    assertThat(changesets(window.touching(0, Set.of(A)))).hasSize(2).endsWith(v3);
    assertThat(new HistoryWindow(2).oldestVersion(7)).as("empty").isEqualTo(8);
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

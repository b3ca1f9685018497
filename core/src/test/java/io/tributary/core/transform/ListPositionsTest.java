package io.tributary.core.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Instruction.ArrayErase;
import io.tributary.core.changeset.Instruction.ArrayInsert;
import io.tributary.core.changeset.Instruction.ArrayMove;
import io.tributary.core.changeset.Instruction.ArraySet;
import io.tributary.core.changeset.Instruction.ListInstruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.changeset.Values;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every pair of list instructions on every list of up to five elements, both ways round: applying A
 * then B′ must give the same list as B then A′. Exhaustive, so no seed.
 */
class ListPositionsTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @Test
  void everyPairOfInstructionsConvergesOnEveryShortList() {
    int checked = 0;
    for (int size = 0; size <= 5; size++) {
      Value list = listOf(size);
      for (ListInstruction a : everyInstruction(size, "a")) {
        for (ListInstruction b : everyInstruction(size, "b")) {
          for (boolean aLater : new boolean[] {true, false}) {
            Value aFirst = apply(apply(list, a), ListPositions.after(b, a, !aLater));
            Value bFirst = apply(apply(list, b), ListPositions.after(a, b, aLater));
            assertThat(aFirst)
                .as("list of %d, a=%s, b=%s, a later: %s", size, a, b, aLater)
                .isEqualTo(bFirst);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(6_000);
  }

  @Test
  void concurrentInsertsAtTheSameIndexAreOrderedByTime() {
    Value list = listOf(2);
    ListInstruction early = new ArrayInsert(TASK, "v", 1, Value.of("early"));
    ListInstruction late = new ArrayInsert(TASK, "v", 1, Value.of("late"));

    Value merged = apply(apply(list, late), ListPositions.after(early, late, false));

    assertThat(Values.elementsOf(merged))
        .containsExactly(Value.of("e0"), Value.of("early"), Value.of("late"), Value.of("e1"));
  }

  @Test
  void anEraseWinsOverAConcurrentSetOrMoveOfTheSameElement() {
    ListInstruction erase = new ArrayErase(TASK, "v", 1);

    assertThat(ListPositions.after(new ArraySet(TASK, "v", 1, Value.of("x")), erase, true))
        .isNull();
    assertThat(ListPositions.after(new ArrayMove(TASK, "v", 1, 0), erase, true)).isNull();
    assertThat(ListPositions.after(erase, new ArrayMove(TASK, "v", 1, 0), false))
        .isEqualTo(new ArrayErase(TASK, "v", 0));
  }

  @Test
  void ofTwoMovesOfOneElementTheLaterWins() {
    ListInstruction toStart = new ArrayMove(TASK, "v", 2, 0);
    ListInstruction toEnd = new ArrayMove(TASK, "v", 2, 3);

    assertThat(ListPositions.after(toStart, toEnd, false)).isNull();
    assertThat(ListPositions.after(toEnd, toStart, true)).isEqualTo(new ArrayMove(TASK, "v", 0, 3));
  }

  private static Value listOf(int size) {
    List<Value> elements = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      elements.add(Value.of("e" + i));
    }
    return new Value.Vector(elements);
  }

  private static List<ListInstruction> everyInstruction(int size, String tag) {
    List<ListInstruction> all = new ArrayList<>();
    for (int i = 0; i <= size; i++) {
      all.add(new ArrayInsert(TASK, "v", i, Value.of(tag + "+" + i)));
    }
    for (int i = 0; i < size; i++) {
      all.add(new ArraySet(TASK, "v", i, Value.of(tag + "=" + i)));
      all.add(new ArrayErase(TASK, "v", i));
      for (int to = 0; to < size; to++) {
        all.add(new ArrayMove(TASK, "v", i, to));
      }
    }
    return all;
  }

  private static Value apply(Value list, ListInstruction instruction) {
    return instruction == null ? list : Values.listAfter(list, instruction);
  }
}

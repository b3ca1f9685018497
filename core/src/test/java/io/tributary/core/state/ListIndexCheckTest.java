package io.tributary.core.state;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListIndexCheckTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @Test
  void indexesCountTheTransactionsOwnEarlierChanges() {
    InMemoryObjectStore state = withList("a");

    assertThatCode(
            () ->
                ChangesetApplier.checkLocal(
                    List.of(
                        new Instruction.ArrayInsert(TASK, "list", 1, Value.of("b")),
                        new Instruction.ArrayMove(TASK, "list", 1, 0),
                        new Instruction.ArrayErase(TASK, "list", 1)),
                    state))
        .doesNotThrowAnyException();
  }

  @Test
  void anIndexPastTheEndIsRefusedAndNothingIsApplied() {
    InMemoryObjectStore state = withList("a");
    var before = state.snapshot();

    assertThatThrownBy(
            () ->
                ChangesetApplier.checkLocal(
                    List.of(
                        new Instruction.ArrayErase(TASK, "list", 0),
                        new Instruction.ArraySet(TASK, "list", 0, Value.of("x"))),
                    state))
        .isInstanceOf(ListIndexOutOfRangeException.class)
        .hasMessageContaining("the list has 0 elements");
    org.assertj.core.api.Assertions.assertThat(state.snapshot()).isEqualTo(before);
  }

  @Test
  void aChangeOfAnObjectTheCopyDoesNotHaveIsRefused() {
    InMemoryObjectStore state = new InMemoryObjectStore();

    assertThatThrownBy(
            () ->
                ChangesetApplier.checkLocal(
                    List.of(new Instruction.AddInteger(TASK, "priority", 5)), state))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("create it first");
    assertThatCode(
            () ->
                ChangesetApplier.checkLocal(
                    List.of(
                        new Instruction.CreateObject(TASK),
                        new Instruction.AddInteger(TASK, "priority", 5),
                        new Instruction.EraseObject(TASK)),
                    state))
        .doesNotThrowAnyException();
  }

  private static InMemoryObjectStore withList(String... elements) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    ChangesetApplier.apply(
        new Changeset(
            1,
            0,
            1,
            1,
            List.of(
                new Instruction.CreateObject(TASK),
                new Instruction.Update(
                    TASK,
                    "list",
                    new Value.Vector(java.util.Arrays.stream(elements).map(Value::of).toList())))),
        store);
    return store;
  }
}

package io.tributary.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.events.ChangeEvent.Operation;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

  private static final ObjectKey ONE = new ObjectKey("Task", 1);
  private static final ObjectKey TWO = new ObjectKey("Task", 2);

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private long version;

  private List<ChangeEvent> integrate(Instruction... instructions) {
    return integrate(store, List.of(instructions));
  }

  private List<ChangeEvent> integrate(InMemoryObjectStore into, List<Instruction> instructions) {
    Changeset changeset = new Changeset(1, 0, 1_700_000_000_000L + version, 42, instructions);
    ChangeEvents.Before before = ChangeEvents.before(changeset, into);
    ChangesetApplier.apply(changeset, into);
    return before.events("tasks", ++version, into);
  }

  @Test
  void aCreateCarriesTheNewObjectAndAllItsProperties() {
    List<ChangeEvent> events =
        integrate(
            new Instruction.CreateObject(ONE),
            new Instruction.Update(ONE, "text", Value.of("milk")),
            new Instruction.Update(ONE, "done", Value.of(false)));

    ChangeEvent created = events.get(0);
    assertThat(events).hasSize(1);
    assertThat(created.operation()).isEqualTo(Operation.CREATE);
    assertThat(created.before()).isEmpty();
    assertThat(created.after()).contains(store.get(ONE).orElseThrow());
    assertThat(created.changed()).containsExactly("done", "text");
    assertThat(created.serverVersion()).isEqualTo(1);
    assertThat(created.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(created.originIdent()).isEqualTo(42);
  }

  @Test
  void anUpdateNamesWhatItChangedWithTheStateBeforeAndAfter() {
    integrate(
        new Instruction.CreateObject(ONE), new Instruction.Update(ONE, "text", Value.of("a")));

    ChangeEvent updated =
        integrate(
                new Instruction.Update(ONE, "done", Value.of(true)),
                new Instruction.AddInteger(ONE, "priority", 2))
            .get(0);

    assertThat(updated.operation()).isEqualTo(Operation.UPDATE);
    assertThat(updated.changed()).containsExactly("done", "priority");
    assertThat(updated.before().orElseThrow()).doesNotContainKey("done");
    assertThat(updated.after().orElseThrow()).containsEntry("done", Value.of(true));
  }

  @Test
  void anEraseIsADeleteWithTheStateItHadBefore() {
    integrate(
        new Instruction.CreateObject(ONE), new Instruction.Update(ONE, "text", Value.of("a")));

    ChangeEvent deleted = integrate(new Instruction.EraseObject(ONE)).get(0);

    assertThat(deleted.operation()).isEqualTo(Operation.DELETE);
    assertThat(deleted.before().orElseThrow()).containsEntry("text", Value.of("a"));
    assertThat(deleted.after()).isEmpty();
    assertThat(deleted.changed()).isEmpty();
  }

  @Test
  void anObjectCreatedAndErasedAtOnceYieldsNothingAndOthersKeepTheirOrder() {
    List<ChangeEvent> events =
        integrate(
            new Instruction.CreateObject(TWO),
            new Instruction.CreateObject(ONE),
            new Instruction.EraseObject(ONE),
            new Instruction.Update(TWO, "text", Value.of("b")));

    assertThat(events).extracting(ChangeEvent::key).containsExactly(TWO);
  }

  @Test
  void replayingHistoryOnAnEmptyStoreYieldsTheSameEvents() {
    List<List<Instruction>> history =
        List.of(
            List.of(
                new Instruction.CreateObject(ONE),
                new Instruction.Update(ONE, "text", Value.of("a"))),
            List.of(
                new Instruction.CreateObject(TWO),
                new Instruction.Update(ONE, "done", Value.of(true))),
            List.of(
                new Instruction.EraseObject(ONE), new Instruction.AddInteger(TWO, "priority", 1)));
    List<ChangeEvent> live = new ArrayList<>();
    history.forEach(instructions -> live.addAll(integrate(store, instructions)));

    version = 0;
    List<ChangeEvent> replayed = new ArrayList<>();
    InMemoryObjectStore rebuilt = new InMemoryObjectStore();
    history.forEach(instructions -> replayed.addAll(integrate(rebuilt, instructions)));

    assertThat(replayed).isEqualTo(live).hasSize(5);
  }
}

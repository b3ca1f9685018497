package io.tributary.core.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.ListIndexOutOfRangeException;
import io.tributary.core.state.NoSuchObjectException;
import io.tributary.core.testing.Convergence;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The transform's laws, over generated states and concurrent changesets (shrunk on failure). */
@net.jqwik.api.lifecycle.AddLifecycleHook(io.tributary.core.testing.SeedFromSystemProperty.class)
class TransformPropertiesTest {

  /** TP1: applying A then B′ gives the same state as applying B then A′. */
  @Property(tries = 2_000)
  void concurrentChangesetsConverge(
      @ForAll("states") List<Instruction> base,
      @ForAll("changes") List<Instruction> first,
      @ForAll("changes") List<Instruction> second,
      @ForAll("timestamps") long firstTime,
      @ForAll("timestamps") long secondTime) {
    InMemoryObjectStore start = state(base);
    Changeset a = new Changeset(1, 0, firstTime, 1, validOn(start, first));
    Changeset b = new Changeset(1, 0, secondTime, 2, validOn(start, second));

    Convergence.bothOrders(start, a, b);
  }

  /** Deletes win: an object erased by one side never comes back through the other side. */
  @Property(tries = 1_000)
  void anErasedObjectNeverComesBackByAConcurrentChange(
      @ForAll("states") List<Instruction> base,
      @ForAll("changes") List<Instruction> other,
      @ForAll("timestamps") long eraseTime,
      @ForAll("timestamps") long otherTime) {
    InMemoryObjectStore start = state(base);
    ObjectKey victim = new ObjectKey("Task", 1);
    Changeset erase =
        new Changeset(1, 0, eraseTime, 1, List.of(new Instruction.EraseObject(victim)));
    Changeset concurrent = new Changeset(1, 0, otherTime, 2, validOn(start, other));

    InMemoryObjectStore merged = start.copy();
    ChangesetApplier.apply(erase, merged);
    ChangesetApplier.apply(Transformer.transform(concurrent, List.of(erase)), merged);

    assertThat(merged.get(victim)).isEmpty();
  }

  /** Transforming against nothing changes nothing. */
  @Property(tries = 200)
  void transformingAgainstNothingIsTheIdentity(@ForAll("changes") List<Instruction> changes) {
    Changeset changeset = new Changeset(1, 0, 5, 1, changes);
    assertThat(Transformer.transform(changeset, List.of())).isSameAs(changeset);
  }

  @Provide
  Arbitrary<Long> timestamps() {
    return Arbitraries.longs().between(100, 103); // Few values: ties happen often.
  }

  @Provide
  Arbitrary<List<Instruction>> states() {
    return instruction().list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Instruction>> changes() {
    return instruction().list().ofMinSize(1).ofMaxSize(6);
  }

  private static Arbitrary<Instruction> instruction() {
    Arbitrary<ObjectKey> key =
        Arbitraries.longs().between(1, 3).map(id -> new ObjectKey("Task", id));
    Arbitrary<String> property = Arbitraries.of("p0", "p1");
    Arbitrary<Long> target = Arbitraries.longs().between(1, 3);
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
    Arbitrary<Value> element = Arbitraries.longs().between(0, 9).map(Value::of);
    return Arbitraries.oneOf(
        key.map(Instruction.CreateObject::new),
        key.map(Instruction.EraseObject::new),
        Combinators.combine(key, property, Arbitraries.longs().between(0, 9))
            .as((k, p, v) -> new Instruction.Update(k, p, Value.of(v))),
        Combinators.combine(key, property, Arbitraries.longs().between(-3, 3))
            .as(Instruction.AddInteger::new),
        Combinators.combine(key, target).as((k, t) -> new Instruction.SetInsert(k, "tags", t)),
        Combinators.combine(key, target).as((k, t) -> new Instruction.SetErase(k, "tags", t)),
        key.map(k -> new Instruction.SetClear(k, "tags")),
        Combinators.combine(key, index, element)
            .as((k, i, v) -> new Instruction.ArrayInsert(k, "list", i, v)),
        Combinators.combine(key, index, element)
            .as((k, i, v) -> new Instruction.ArraySet(k, "list", i, v)),
        Combinators.combine(key, index).as((k, i) -> new Instruction.ArrayErase(k, "list", i)),
        Combinators.combine(key, index, index)
            .as((k, from, to) -> new Instruction.ArrayMove(k, "list", from, to)),
        Combinators.combine(key, element)
            .as((k, v) -> new Instruction.Update(k, "list", new Value.Vector(List.of(v)))));
  }

  /**
   * The instructions a client could really have made on {@code state}: a client changes only
   * objects it has. Others are left out, as the client API would refuse them.
   */
  private static List<Instruction> validOn(
      InMemoryObjectStore state, List<Instruction> instructions) {
    InMemoryObjectStore local = state.copy();
    List<Instruction> valid = new ArrayList<>();
    for (Instruction instruction : instructions) {
      boolean needsObject =
          !(instruction instanceof Instruction.CreateObject)
              && !(instruction instanceof Instruction.EraseObject);
      if (needsObject && local.get(instruction.object()).isEmpty()) {
        continue;
      }
      try {
        ChangesetApplier.checkLocal(List.of(instruction), local);
      } catch (ListIndexOutOfRangeException | NoSuchObjectException e) {
        continue;
      }
      valid.add(instruction);
      ChangesetApplier.apply(new Changeset(0, 0, 0, 0, List.of(instruction)), local);
    }
    return valid;
  }

  private static InMemoryObjectStore state(List<Instruction> instructions) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    ChangesetApplier.apply(new Changeset(1, 0, 1, 9, instructions), store);
    return store;
  }
}

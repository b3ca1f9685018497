package io.tributary.core.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.ArrayErase;
import io.tributary.core.changeset.Instruction.ArrayInsert;
import io.tributary.core.changeset.Instruction.ArrayMove;
import io.tributary.core.changeset.Instruction.ArraySet;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.testing.Convergence;
import io.tributary.core.testing.RandomInstructions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransformerTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @Test
  void laterUpdateOfTheSamePropertyWins() {
    Changeset early = changeset(1, 100, new Update(TASK, "text", Value.of("early")));
    Changeset late = changeset(2, 200, new Update(TASK, "text", Value.of("late")));

    assertThat(Transformer.transform(early, List.of(late)).instructions()).isEmpty();
    assertThat(Transformer.transform(late, List.of(early))).isEqualTo(late);
    assertThat(converged(created(), early, late)).containsEntry("text", Value.of("late"));
  }

  @Test
  void equalTimestampsAreOrderedByClientIdent() {
    Changeset low = changeset(1, 100, new Update(TASK, "text", Value.of("one")));
    Changeset high = changeset(2, 100, new Update(TASK, "text", Value.of("two")));

    assertThat(converged(created(), low, high)).containsEntry("text", Value.of("two"));
  }

  @Test
  void updatesOfDifferentPropertiesBothSurvive() {
    Changeset a = changeset(1, 100, new Update(TASK, "text", Value.of("milk")));
    Changeset b = changeset(2, 200, new Update(TASK, "done", Value.of(true)));

    assertThat(converged(created(), a, b))
        .containsEntry("text", Value.of("milk"))
        .containsEntry("done", Value.of(true));
  }

  @Test
  void eraseWinsOverALaterConcurrentUpdate() {
    Changeset erase = changeset(1, 100, new EraseObject(TASK));
    Changeset update = changeset(2, 999, new Update(TASK, "text", Value.of("still here?")));

    assertThat(Transformer.transform(update, List.of(erase)).instructions()).isEmpty();
    assertThat(Transformer.transform(erase, List.of(update))).isEqualTo(erase);
    assertThat(convergedStore(created(), erase, update).get(TASK)).isEmpty();
  }

  @Test
  void eraseWinsOverAConcurrentCreateOfTheSameId() {
    Changeset erase = changeset(1, 100, new EraseObject(TASK));
    Changeset create =
        changeset(2, 999, new CreateObject(TASK), new Update(TASK, "text", Value.of("again")));

    assertThat(convergedStore(created(), erase, create).get(TASK)).isEmpty();
  }

  @Test
  void twoCreatesOfTheSameIdAreOneObject() {
    Changeset a =
        changeset(1, 100, new CreateObject(TASK), new Update(TASK, "text", Value.of("a")));
    Changeset b =
        changeset(2, 200, new CreateObject(TASK), new Update(TASK, "done", Value.of(true)));

    assertThat(converged(new InMemoryObjectStore(), a, b))
        .containsEntry("text", Value.of("a"))
        .containsEntry("done", Value.of(true));
  }

  @Test
  void aHigherSyncPrecedenceWinsOverALaterTimestamp() {
    Changeset important =
        changeset(1, 100, new Update(TASK, "text", Value.of("from the office"), 5));
    Changeset later = changeset(2, 900, new Update(TASK, "text", Value.of("from a phone"), 1));

    assertThat(converged(created(), important, later))
        .containsEntry("text", Value.of("from the office"));
  }

  @Test
  void anAdditionBelowTheUpdatesPrecedenceIsDropped() {
    Changeset set = changeset(1, 100, new Update(TASK, "count", Value.of(10L), 2));
    Changeset add = changeset(2, 900, new Instruction.AddInteger(TASK, "count", 5, 1));

    assertThat(converged(created(), set, add)).containsEntry("count", Value.of(10L));
  }

  @Test
  void concurrentAdditionsAllCount() {
    Changeset a = changeset(1, 100, new Instruction.AddInteger(TASK, "count", 2));
    Changeset b = changeset(2, 200, new Instruction.AddInteger(TASK, "count", 5));

    assertThat(converged(created(), a, b)).containsEntry("count", Value.of(7L));
  }

  @Test
  void aLaterUpdateOverridesAConcurrentAddition() {
    Changeset add = changeset(1, 100, new Instruction.AddInteger(TASK, "count", 2));
    Changeset set = changeset(2, 200, new Update(TASK, "count", Value.of(10L)));

    assertThat(converged(created(), add, set)).containsEntry("count", Value.of(10L));
  }

  @Test
  void aLaterAdditionCountsOnTopOfAConcurrentUpdate() {
    Changeset set = changeset(1, 100, new Update(TASK, "count", Value.of(10L)));
    Changeset add = changeset(2, 200, new Instruction.AddInteger(TASK, "count", 2));

    assertThat(Transformer.transform(set, List.of(add)).instructions())
        .containsExactly(new Update(TASK, "count", Value.of(12L)));
    assertThat(converged(created(), set, add)).containsEntry("count", Value.of(12L));
  }

  @Test
  void theLaterOfAConcurrentInsertionAndRemovalOfAnElementWins() {
    Changeset insert = changeset(1, 200, new Instruction.SetInsert(TASK, "tags", 7));
    Changeset remove = changeset(2, 100, new Instruction.SetErase(TASK, "tags", 7));

    assertThat(converged(created(), insert, remove)).containsEntry("tags", Value.ids(List.of(7L)));
  }

  @Test
  void aClearKeepsTheElementsALaterConcurrentChangeInserted() {
    InMemoryObjectStore base = created();
    ChangesetApplier.apply(changeset(9, 1, new Instruction.SetInsert(TASK, "tags", 1)), base);
    Changeset clear = changeset(1, 100, new Instruction.SetClear(TASK, "tags"));
    Changeset insert = changeset(2, 200, new Instruction.SetInsert(TASK, "tags", 2));

    assertThat(converged(base, clear, insert)).containsEntry("tags", Value.ids(List.of(2L)));
  }

  @Test
  void aLaterClearRemovesConcurrentlyInsertedElements() {
    Changeset insert = changeset(1, 100, new Instruction.SetInsert(TASK, "tags", 2));
    Changeset clear = changeset(2, 200, new Instruction.SetClear(TASK, "tags"));

    assertThat(converged(created(), insert, clear)).containsEntry("tags", Value.ids(List.of()));
  }

  @Test
  void eraseWinsOverAConcurrentAddition() {
    Changeset erase = changeset(1, 100, new EraseObject(TASK));
    Changeset add = changeset(2, 900, new Instruction.AddInteger(TASK, "count", 1));

    assertThat(convergedStore(created(), erase, add).get(TASK)).isEmpty();
  }

  @Test
  void eraseWinsOverConcurrentRelationChanges() {
    Changeset erase = changeset(1, 100, new EraseObject(TASK));
    Changeset links =
        changeset(
            2,
            900,
            new Instruction.SetInsert(TASK, "tags", 1),
            new Instruction.SetErase(TASK, "tags", 2),
            new Instruction.SetClear(TASK, "tags"));

    assertThat(Transformer.transform(links, List.of(erase)).instructions()).isEmpty();
    assertThat(convergedStore(created(), erase, links).get(TASK)).isEmpty();
  }

  @Test
  void concurrentRemovalsOrClearsOfTheSameElementsAreOne() {
    InMemoryObjectStore base = created();
    ChangesetApplier.apply(changeset(9, 1, new Instruction.SetInsert(TASK, "tags", 1)), base);
    Changeset remove = changeset(1, 100, new Instruction.SetErase(TASK, "tags", 1));
    Changeset clear = changeset(2, 200, new Instruction.SetClear(TASK, "tags"));

    assertThat(
            converged(base, remove, changeset(3, 150, new Instruction.SetErase(TASK, "tags", 1))))
        .containsEntry("tags", Value.ids(List.of()));
    assertThat(converged(base, clear, changeset(3, 300, new Instruction.SetClear(TASK, "tags"))))
        .containsEntry("tags", Value.ids(List.of()));
    assertThat(converged(base, remove, clear)).containsEntry("tags", Value.ids(List.of()));
  }

  @Test
  void changesOfDifferentKindsOnDifferentPropertiesAreIndependent() {
    Changeset a =
        changeset(
            1,
            100,
            new Update(TASK, "text", Value.of("a")),
            new Instruction.SetInsert(TASK, "tags", 4));
    Changeset b =
        changeset(
            2,
            200,
            new Instruction.AddInteger(TASK, "count", 3),
            new Update(TASK, "done", Value.of(true)));

    assertThat(converged(created(), a, b))
        .containsEntry("text", Value.of("a"))
        .containsEntry("tags", Value.ids(List.of(4L)))
        .containsEntry("count", Value.of(3L))
        .containsEntry("done", Value.of(true));
  }

  @Test
  void concurrentListInsertsAtTheSameIndexAreOrderedByTime() {
    Changeset late = changeset(2, 200, new ArrayInsert(TASK, "list", 1, Value.of("late")));
    Changeset early = changeset(1, 100, new ArrayInsert(TASK, "list", 1, Value.of("early")));

    assertThat(converged(withList("a", "b"), late, early))
        .containsEntry("list", vector("a", "early", "late", "b"));
  }

  @Test
  void listChangesFollowTheirElementsPastConcurrentInsertsAndErasures() {
    Changeset insert = changeset(1, 100, new ArrayInsert(TASK, "list", 0, Value.of("x")));
    Changeset eraseAndSet =
        changeset(
            2,
            200,
            new ArrayErase(TASK, "list", 0),
            new ArraySet(TASK, "list", 1, Value.of("C")),
            new ArrayMove(TASK, "list", 0, 1));

    // ["a", "b", "c"]: erase "a" → ["b", "c"]; set "c" → ["b", "C"]; move "b" last → ["C", "b"].
    assertThat(converged(withList("a", "b", "c"), insert, eraseAndSet))
        .containsEntry("list", vector("x", "C", "b"));
  }

  @Test
  void aListEraseWinsOverAConcurrentSetOfTheSameElement() {
    Changeset erase = changeset(1, 100, new ArrayErase(TASK, "list", 1));
    Changeset set = changeset(2, 200, new ArraySet(TASK, "list", 1, Value.of("B")));

    assertThat(converged(withList("a", "b"), erase, set)).containsEntry("list", vector("a"));
  }

  @Test
  void ofConcurrentSetsOfOneElementTheLaterWins() {
    Changeset early = changeset(1, 100, new ArraySet(TASK, "list", 0, Value.of("early")));
    Changeset late = changeset(2, 200, new ArraySet(TASK, "list", 0, Value.of("late")));

    assertThat(converged(withList("a"), early, late)).containsEntry("list", vector("late"));
  }

  @Test
  void ofConcurrentMovesOfOneElementTheLaterWins() {
    Changeset toFront = changeset(1, 200, new ArrayMove(TASK, "list", 2, 0));
    Changeset toMiddle = changeset(2, 100, new ArrayMove(TASK, "list", 2, 1));

    assertThat(converged(withList("a", "b", "c"), toFront, toMiddle))
        .containsEntry("list", vector("c", "a", "b"));
  }

  @Test
  void settingAWholeListWinsOverConcurrentChangesOfItsElements() {
    Changeset reset = changeset(1, 100, new Update(TASK, "list", vector("new")));
    Changeset edits =
        changeset(
            2,
            200,
            new ArrayInsert(TASK, "list", 0, Value.of("x")),
            new ArraySet(TASK, "list", 1, Value.of("A")));

    assertThat(converged(withList("a"), reset, edits)).containsEntry("list", vector("new"));
  }

  @Test
  void ofTwoWholeListResetsTheLaterWinsWithTheElementChangesMadeAfterIt() {
    Changeset early =
        changeset(
            1,
            100,
            new Update(TASK, "list", vector("one")),
            new ArrayInsert(TASK, "list", 1, Value.of("one+")));
    Changeset late =
        changeset(
            2,
            200,
            new Update(TASK, "list", Value.Vector.EMPTY),
            new ArrayInsert(TASK, "list", 0, Value.of("two")));

    assertThat(converged(withList("a"), early, late)).containsEntry("list", vector("two"));
  }

  @Test
  void eraseOfTheObjectWinsOverConcurrentListChanges() {
    Changeset erase = changeset(1, 100, new EraseObject(TASK));
    Changeset insert = changeset(2, 200, new ArrayInsert(TASK, "list", 0, Value.of("x")));

    assertThat(convergedStore(withList("a"), erase, insert).get(TASK)).isEmpty();
  }

  @Test
  void hugeChangesetsConverge() {
    List<Instruction> first = new ArrayList<>();
    List<Instruction> second = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      ObjectKey key = new ObjectKey("Task", i % 5_000);
      first.add(new Update(key, "p" + (i % 3), Value.of((long) i)));
      second.add(
          i < 5_000 && i % 7 == 0
              ? new EraseObject(key)
              : new Instruction.AddInteger(key, "p0", 1));
    }
    InMemoryObjectStore base = new InMemoryObjectStore();
    for (int id = 0; id < 5_000; id++) {
      ChangesetApplier.apply(changeset(9, 1, new CreateObject(new ObjectKey("Task", id))), base);
    }

    InMemoryObjectStore merged =
        convergedStore(
            base,
            changeset(1, 100, first.toArray(Instruction[]::new)),
            changeset(2, 100, second.toArray(Instruction[]::new)));

    assertThat(merged.snapshot()).hasSize(5_000 - 715); // Ids 0, 7, ..., 4998 were erased.
    // Task 1: the first client's last p0 is 95,001; the other's 20 later additions count on top.
    assertThat(merged.get(new ObjectKey("Task", 1)).orElseThrow())
        .containsEntry("p0", Value.of(95_021L));
  }

  @Test
  void randomConcurrentSequencesConverge() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println(
        "TransformerTest.randomConcurrentSequencesConverge seed=" + seed + " (-Dfuzz.seed)");
    Random random = new Random(seed);
    for (int round = 0; round < 2_000; round++) {
      InMemoryObjectStore base = randomState(random);
      List<Changeset> first = randomChangesets(random, 1, base.copy());
      List<Changeset> second = randomChangesets(random, 2, base.copy());

      // The server integrates `first`, then each of `second` merged with `first` as the second
      // client sees it: rebased onto its earlier changesets. The second client has `second`
      // applied locally and receives `first`.
      InMemoryObjectStore server = base.copy();
      first.forEach(changeset -> ChangesetApplier.apply(changeset, server));
      List<Changeset> unseen = first;
      for (Changeset changeset : second) {
        Transformer.Merged merged = Transformer.merge(changeset, unseen);
        ChangesetApplier.apply(merged.incoming(), server);
        unseen = merged.concurrent();
      }

      InMemoryObjectStore client = base.copy();
      LocalReplica replica = new LocalReplica(client);
      second.forEach(replica::applyLocal);
      for (int i = 0; i < first.size(); i++) {
        replica.applyRemote(i + 1, first.get(i));
      }

      assertThat(client.snapshot())
          .as("round %d of seed %d: %s vs %s", round, seed, first, second)
          .isEqualTo(server.snapshot());
    }
  }

  private static InMemoryObjectStore randomState(Random random) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (int id = 1; id <= 3; id++) {
      if (random.nextBoolean()) {
        ChangesetApplier.apply(
            changeset(9, 1, new CreateObject(key(id)), new Update(key(id), "p0", Value.of(0L))),
            store);
      }
    }
    return store;
  }

  /**
   * Changesets a client could really make on {@code local}: it updates only objects it has. (An
   * update of an object that does not exist locally cannot come from a client.)
   */
  /** Changesets a client could really make on {@code local}, with a clock that ticks forward. */
  private static List<Changeset> randomChangesets(
      Random random, long ident, InMemoryObjectStore local) {
    List<Changeset> changesets = new ArrayList<>();
    long timestamp = 100;
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      List<Instruction> instructions = new ArrayList<>();
      for (int j = 0, size = 1 + random.nextInt(4); j < size; j++) {
        Instruction instruction = RandomInstructions.next(random, local, 3);
        instructions.add(instruction);
        ChangesetApplier.apply(changeset(ident, 0, instruction), local);
      }
      // Across clients, timestamps collide on purpose so that the ident must break ties.
      timestamp += 1 + random.nextInt(2);
      changesets.add(new Changeset(i + 1, 0, timestamp, ident, instructions));
    }
    return changesets;
  }

  private static InMemoryObjectStore withList(String... elements) {
    InMemoryObjectStore store = created();
    ChangesetApplier.apply(changeset(9, 1, new Update(TASK, "list", vector(elements))), store);
    return store;
  }

  private static Value vector(String... elements) {
    return new Value.Vector(java.util.Arrays.stream(elements).map(Value::of).toList());
  }

  private static ObjectKey key(int id) {
    return new ObjectKey("Task", id);
  }

  private static InMemoryObjectStore created() {
    InMemoryObjectStore store = new InMemoryObjectStore();
    ChangesetApplier.apply(changeset(9, 1, new CreateObject(TASK)), store);
    return store;
  }

  /** Applies A then B′ and B then A′, checks both ways agree, returns the task's properties. */
  private static java.util.SortedMap<String, Value> converged(
      InMemoryObjectStore base, Changeset a, Changeset b) {
    return convergedStore(base, a, b).get(TASK).orElseThrow();
  }

  private static InMemoryObjectStore convergedStore(
      InMemoryObjectStore base, Changeset a, Changeset b) {
    return Convergence.bothOrders(base, a, b);
  }

  private static Changeset changeset(long ident, long timestamp, Instruction... instructions) {
    return new Changeset(1, 0, timestamp, ident, List.of(instructions));
  }
}

package io.tributary.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.testing.RandomInstructions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Four clients change the same data from the same starting point, offline. Whichever order their
 * uploads reach the server in (all 24), the server ends in the same state; only the order of
 * concurrently inserted list elements may differ (see ListUploadOrderTest).
 */
class UploadOrderTest {

  private static final ReplyTo NOWHERE = new ReplyTo("test", 0, 0);

  @Test
  void everyOrderOfUploadsGivesTheSameServerState() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("UploadOrderTest seed=" + seed);
    Random random = new Random(seed);
    for (int scenario = 0; scenario < 200; scenario++) {
      List<Instruction> base = baseState(random);
      List<List<Changeset>> uploads = new ArrayList<>();
      for (int client = 1; client <= 4; client++) {
        uploads.add(offlineChanges(random, client, base));
      }
      SortedMap<ObjectKey, SortedMap<String, Value>> expected = null;
      for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
        SortedMap<ObjectKey, SortedMap<String, Value>> state = integrate(base, uploads, order);
        if (expected == null) {
          expected = state;
        }
        assertThat(withListsAsMultisets(state))
            .as("seed %d, scenario %d, order %s", seed, scenario, order)
            .isEqualTo(withListsAsMultisets(expected));
      }
    }
  }

  /**
   * The state with each list's elements sorted. Index-based transformation orders concurrent
   * insertions by the order the server integrates them in (see ListUploadOrderTest); every other
   * part of the state, and which elements a list holds, must not depend on it.
   */
  private static Map<ObjectKey, Map<String, Object>> withListsAsMultisets(
      SortedMap<ObjectKey, SortedMap<String, Value>> state) {
    Map<ObjectKey, Map<String, Object>> result = new TreeMap<>();
    state.forEach(
        (key, properties) -> {
          Map<String, Object> values = new TreeMap<>();
          properties.forEach(
              (property, value) ->
                  values.put(
                      property,
                      value instanceof Value.Vector vector
                          ? vector.elements().stream().map(Value::toString).sorted().toList()
                          : value));
          result.put(key, values);
        });
    return result;
  }

  private static SortedMap<ObjectKey, SortedMap<String, Value>> integrate(
      List<Instruction> base, List<List<Changeset>> uploads, List<Integer> order) {
    DatasetSequencer sequencer = new DatasetSequencer(10_000);
    InMemoryObjectStore state = new InMemoryObjectStore();
    long fixedSalt = 1;
    for (int client = 1; client <= uploads.size(); client++) {
      sequencer.handle(NOWHERE, new UploadRequest.AllocateIdent(), () -> fixedSalt);
    }
    // Version 1: the common starting point, from a fifth client.
    IdentAllocated setup =
        (IdentAllocated)
            sequencer.handle(NOWHERE, new UploadRequest.AllocateIdent(), () -> fixedSalt).get(0);
    apply(sequencer, state, setup.ident(), List.of(new Changeset(1, 0, 1, setup.ident(), base)));
    for (int client : order) {
      apply(sequencer, state, client + 1, uploads.get(client));
    }
    return state.snapshot();
  }

  private static void apply(
      DatasetSequencer sequencer,
      InMemoryObjectStore state,
      long ident,
      List<Changeset> changesets) {
    for (HistoryEvent event :
        sequencer.handle(NOWHERE, new UploadRequest.UploadChangesets(ident, changesets), () -> 1)) {
      ChangesetApplier.apply(((Integrated) event).changeset(), state);
    }
  }

  private static List<Instruction> baseState(Random random) {
    InMemoryObjectStore empty = new InMemoryObjectStore();
    List<Instruction> base = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Instruction instruction = RandomInstructions.next(random, empty, 3);
      base.add(instruction);
      ChangesetApplier.apply(new Changeset(0, 0, 0, 0, List.of(instruction)), empty);
    }
    return base;
  }

  /** Changesets made offline on top of version 1, with a clock that ticks forward. */
  private static List<Changeset> offlineChanges(Random random, long ident, List<Instruction> base) {
    InMemoryObjectStore local = new InMemoryObjectStore();
    ChangesetApplier.apply(new Changeset(0, 0, 0, 0, base), local);
    List<Changeset> changesets = new ArrayList<>();
    long clock = 100 + random.nextInt(3);
    for (int version = 1; version <= 1 + random.nextInt(3); version++) {
      List<Instruction> instructions = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        Instruction instruction = RandomInstructions.next(random, local, 3);
        instructions.add(instruction);
        ChangesetApplier.apply(new Changeset(0, 0, 0, 0, List.of(instruction)), local);
      }
      clock += 1 + random.nextInt(2);
      changesets.add(new Changeset(version, 1, clock, ident, instructions));
    }
    return changesets;
  }

  private static List<List<Integer>> permutations(List<Integer> items) {
    if (items.isEmpty()) {
      return List.of(List.of());
    }
    List<List<Integer>> result = new ArrayList<>();
    for (Integer first : items) {
      List<Integer> rest = new ArrayList<>(items);
      rest.remove(first);
      for (List<Integer> tail : permutations(rest)) {
        List<Integer> permutation = new ArrayList<>();
        permutation.add(first);
        permutation.addAll(tail);
        result.add(permutation);
      }
    }
    return result;
  }
}

package io.tributary.core.events;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.events.ChangeEvent.Operation;
import io.tributary.core.state.ObjectStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The change events of one integrated changeset, in two steps around its application: what the
 * objects it touches are before ({@link #before}), then, once it is applied, what they are after
 * ({@link Before#events}). An object created and erased by the same changeset was never seen by
 * anyone: it yields no event.
 */
public final class ChangeEvents {

  private ChangeEvents() {}

  /** The objects {@code changeset} touches, as {@code store} holds them before it is applied. */
  public static Before before(Changeset changeset, ObjectStore store) {
    Map<ObjectKey, Optional<SortedMap<String, Value>>> states = new LinkedHashMap<>();
    Map<ObjectKey, SortedSet<String>> changed = new LinkedHashMap<>();
    for (Instruction instruction : changeset.instructions()) {
      ObjectKey key = instruction.object();
      states.computeIfAbsent(key, store::get);
      SortedSet<String> properties = changed.computeIfAbsent(key, k -> new TreeSet<>());
      propertyOf(instruction).ifPresent(properties::add);
    }
    return new Before(changeset, states, changed);
  }

  /** The touched objects before the changeset, waiting for their state after it. */
  public static final class Before {
    private final Changeset changeset;
    private final Map<ObjectKey, Optional<SortedMap<String, Value>>> states;
    private final Map<ObjectKey, SortedSet<String>> changed;

    private Before(
        Changeset changeset,
        Map<ObjectKey, Optional<SortedMap<String, Value>>> states,
        Map<ObjectKey, SortedSet<String>> changed) {
      this.changeset = changeset;
      this.states = states;
      this.changed = changed;
    }

    /**
     * One event per touched object, in the order the changeset first touches them, from {@code
     * store} as the changeset left it.
     */
    public List<ChangeEvent> events(String dataset, long serverVersion, ObjectStore store) {
      List<ChangeEvent> events = new ArrayList<>(states.size());
      states.forEach(
          (key, before) -> {
            Optional<SortedMap<String, Value>> after = store.get(key);
            Operation operation =
                after.isEmpty()
                    ? Operation.DELETE
                    : before.isEmpty() ? Operation.CREATE : Operation.UPDATE;
            if (before.isEmpty() && after.isEmpty()) {
              return; // Created and erased at once: nobody saw it.
            }
            SortedSet<String> properties =
                operation == Operation.CREATE
                    ? new TreeSet<>(after.get().keySet())
                    : operation == Operation.DELETE ? new TreeSet<>() : changed.get(key);
            events.add(
                new ChangeEvent(
                    dataset,
                    key,
                    operation,
                    before,
                    after,
                    Collections.unmodifiableSortedSet(properties),
                    serverVersion,
                    changeset.timestamp(),
                    changeset.originIdent()));
          });
      return events;
    }
  }

  /** The property an instruction changes, if it changes one (not a create or an erase). */
  private static Optional<String> propertyOf(Instruction instruction) {
    if (instruction instanceof Instruction.Update update) {
      return Optional.of(update.property());
    } else if (instruction instanceof Instruction.AddInteger add) {
      return Optional.of(add.property());
    } else if (instruction instanceof Instruction.SetInsert insert) {
      return Optional.of(insert.relation());
    } else if (instruction instanceof Instruction.SetErase erase) {
      return Optional.of(erase.relation());
    } else if (instruction instanceof Instruction.SetClear clear) {
      return Optional.of(clear.relation());
    } else if (instruction instanceof Instruction.ListInstruction list) {
      return Optional.of(list.property());
    }
    return Optional.empty();
  }
}

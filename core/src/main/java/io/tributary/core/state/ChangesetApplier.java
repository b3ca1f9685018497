package io.tributary.core.state;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.SetClear;
import io.tributary.core.changeset.Instruction.SetErase;
import io.tributary.core.changeset.Instruction.SetInsert;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.changeset.Values;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Applies changesets to a store. Application is total: a transformed changeset may refer to an
 * object that a concurrent change erased, and such instructions simply have no effect. Whether an
 * instruction is allowed at all is decided before, by validation against the model.
 */
public final class ChangesetApplier {

  private ChangesetApplier() {}

  public static void apply(Changeset changeset, MutableObjectStore store) {
    for (Instruction instruction : changeset.instructions()) {
      apply(instruction, store);
    }
  }

  private static void apply(Instruction instruction, MutableObjectStore store) {
    if (instruction instanceof CreateObject create) {
      if (store.get(create.object()).isEmpty()) {
        store.put(create.object(), new TreeMap<>());
      }
    } else if (instruction instanceof EraseObject erase) {
      store.remove(erase.object());
    } else if (instruction instanceof Update update) {
      change(store, update.object(), update.property(), current -> update.value());
    } else if (instruction instanceof AddInteger add) {
      change(store, add.object(), add.property(), current -> Values.plus(current, add.delta()));
    } else if (instruction instanceof SetInsert insert) {
      change(
          store,
          insert.object(),
          insert.relation(),
          current -> Values.with(current, insert.target()));
    } else if (instruction instanceof SetErase erase) {
      change(
          store,
          erase.object(),
          erase.relation(),
          current -> Values.without(current, erase.target()));
    } else if (instruction instanceof SetClear clear) {
      change(store, clear.object(), clear.relation(), current -> Value.ids(List.of()));
    }
  }

  /** Replaces one property of an existing object; an object that does not exist stays so. */
  private static void change(
      MutableObjectStore store, ObjectKey key, String property, UnaryOperator<Value> change) {
    store
        .get(key)
        .ifPresent(
            properties -> {
              SortedMap<String, Value> updated = new TreeMap<>(properties);
              updated.put(property, change.apply(properties.getOrDefault(property, Value.NULL)));
              store.put(key, updated);
            });
  }
}

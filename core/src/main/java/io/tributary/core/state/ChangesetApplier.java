package io.tributary.core.state;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.Value;
import java.util.SortedMap;
import java.util.TreeMap;

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
      store
          .get(update.object())
          .ifPresent(properties -> store.put(update.object(), with(properties, update)));
    }
  }

  private static SortedMap<String, Value> with(SortedMap<String, Value> properties, Update update) {
    SortedMap<String, Value> updated = new TreeMap<>(properties);
    updated.put(update.property(), update.value());
    return updated;
  }
}

package io.tributary.core.state;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.ListInstruction;
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

  /**
   * Applies a changeset and returns it with only the instructions that found what they change:
   * creates and erases always, every other instruction only if its object exists at that point
   * (and, for a list instruction, its position). What is left is the same change for every replica
   * that applies it on this store's state, whatever else it holds.
   */
  public static Changeset applyEffective(Changeset changeset, MutableObjectStore store) {
    List<Instruction> effective = new java.util.ArrayList<>(changeset.instructions().size());
    for (Instruction instruction : changeset.instructions()) {
      if (takesEffect(instruction, store)) {
        effective.add(instruction);
      }
      apply(instruction, store);
    }
    return effective.size() == changeset.instructions().size()
        ? changeset
        : changeset.withInstructions(effective);
  }

  private static boolean takesEffect(Instruction instruction, ObjectStore store) {
    if (instruction instanceof CreateObject || instruction instanceof EraseObject) {
      return true;
    }
    java.util.Optional<SortedMap<String, Value>> object = store.get(instruction.object());
    if (object.isEmpty()) {
      return false;
    }
    if (instruction instanceof ListInstruction element) {
      Value list = object.get().getOrDefault(element.property(), Value.NULL);
      return Values.listAfter(list, element) != list;
    }
    return true;
  }

  /**
   * Checks a local transaction against the local copy before anything of it is applied: every
   * instruction other than a create or an erase must find its object (as the transaction leaves it
   * at that point), and every list instruction an existing position. A change of an object the
   * client does not have would do nothing here and something on the server: a client only changes
   * what it has. Only the objects the transaction touches are copied.
   *
   * @throws NoSuchObjectException naming the first instruction without its object
   * @throws ListIndexOutOfRangeException naming the first list instruction out of range
   */
  public static void checkLocal(List<Instruction> instructions, ObjectStore state) {
    InMemoryObjectStore scratch = new InMemoryObjectStore();
    for (Instruction instruction : instructions) {
      state
          .get(instruction.object())
          .ifPresent(properties -> scratch.put(instruction.object(), properties));
    }
    for (Instruction instruction : instructions) {
      boolean needsObject =
          !(instruction instanceof CreateObject) && !(instruction instanceof EraseObject);
      if (needsObject && scratch.get(instruction.object()).isEmpty()) {
        throw new NoSuchObjectException(
            instruction + " changes an object this copy does not have: create it first");
      }
      if (instruction instanceof ListInstruction element) {
        checkIndex(
            element,
            scratch
                .get(element.object())
                .orElseThrow()
                .getOrDefault(element.property(), Value.NULL));
      }
      apply(instruction, scratch);
    }
  }

  private static void checkIndex(ListInstruction element, Value list) {
    if (Values.listAfter(list, element) == list) {
      throw new ListIndexOutOfRangeException(
          element
              + " is out of range: the list has "
              + Values.elementsOf(list).size()
              + " elements");
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
    } else if (instruction instanceof ListInstruction element) {
      change(
          store,
          element.object(),
          element.property(),
          current -> Values.listAfter(current, element));
    }
  }

  /**
   * Replaces one property of an existing object; an object that does not exist stays so, and so
   * does a property the change leaves as it was: an absent property is null, and a change that does
   * nothing (a list position past the end, say) must not make it present on one replica only.
   */
  private static void change(
      MutableObjectStore store, ObjectKey key, String property, UnaryOperator<Value> change) {
    store
        .get(key)
        .ifPresent(
            properties -> {
              Value before = properties.getOrDefault(property, Value.NULL);
              Value after = change.apply(before);
              if (after.equals(before)) {
                return;
              }
              SortedMap<String, Value> updated = new TreeMap<>(properties);
              updated.put(property, after);
              store.put(key, updated);
            });
  }
}

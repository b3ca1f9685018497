package io.tributary.client;

import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.ArrayList;
import java.util.List;

/** The writes of one local transaction; they become one changeset. */
public final class Transaction {

  private final List<Instruction> instructions = new ArrayList<>();

  public Transaction create(String entity, long id) {
    instructions.add(new Instruction.CreateObject(new ObjectKey(entity, id)));
    return this;
  }

  public Transaction erase(String entity, long id) {
    instructions.add(new Instruction.EraseObject(new ObjectKey(entity, id)));
    return this;
  }

  public Transaction set(String entity, long id, String property, Value value) {
    instructions.add(new Instruction.Update(new ObjectKey(entity, id), property, value));
    return this;
  }

  /** Adds {@code delta} to an integer property; concurrent additions on other clients all count. */
  public Transaction add(String entity, long id, String property, long delta) {
    instructions.add(new Instruction.AddInteger(new ObjectKey(entity, id), property, delta));
    return this;
  }

  /** Adds {@code target} to the to-many relation {@code relation} of the object. */
  public Transaction link(String entity, long id, String relation, long target) {
    instructions.add(new Instruction.SetInsert(new ObjectKey(entity, id), relation, target));
    return this;
  }

  /** Removes {@code target} from the to-many relation {@code relation} of the object. */
  public Transaction unlink(String entity, long id, String relation, long target) {
    instructions.add(new Instruction.SetErase(new ObjectKey(entity, id), relation, target));
    return this;
  }

  /** Removes every target from the to-many relation {@code relation} of the object. */
  public Transaction unlinkAll(String entity, long id, String relation) {
    instructions.add(new Instruction.SetClear(new ObjectKey(entity, id), relation));
    return this;
  }

  /** Inserts {@code element} into the list (vector) property at {@code index}, 0 to its size. */
  public Transaction insertAt(String entity, long id, String property, int index, Value element) {
    instructions.add(
        new Instruction.ArrayInsert(new ObjectKey(entity, id), property, index, element));
    return this;
  }

  /** Replaces the list element at {@code index}. */
  public Transaction setAt(String entity, long id, String property, int index, Value element) {
    instructions.add(new Instruction.ArraySet(new ObjectKey(entity, id), property, index, element));
    return this;
  }

  /** Removes the list element at {@code index}. */
  public Transaction eraseAt(String entity, long id, String property, int index) {
    instructions.add(new Instruction.ArrayErase(new ObjectKey(entity, id), property, index));
    return this;
  }

  /** Moves the list element at {@code from} so that it ends at index {@code to}. */
  public Transaction move(String entity, long id, String property, int from, int to) {
    instructions.add(new Instruction.ArrayMove(new ObjectKey(entity, id), property, from, to));
    return this;
  }

  /** Empties the list: the same instruction as setting it to the empty list. */
  public Transaction clearList(String entity, long id, String property) {
    return set(entity, id, property, Value.Vector.EMPTY);
  }

  List<Instruction> instructions() {
    return List.copyOf(instructions);
  }
}

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

  List<Instruction> instructions() {
    return List.copyOf(instructions);
  }
}

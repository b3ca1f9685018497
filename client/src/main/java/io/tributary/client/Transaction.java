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

  List<Instruction> instructions() {
    return List.copyOf(instructions);
  }
}

package io.tributary.core.testing;

import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.changeset.Values;
import io.tributary.core.state.ObjectStore;
import java.util.List;
import java.util.Random;

/**
 * Random instructions a client could really make on its local state: it updates only objects it
 * has. Few objects, properties and elements, so that concurrent changes meet often. "p0" is both
 * set and counted, so updates and additions meet too; "v" is a list.
 */
public final class RandomInstructions {

  private RandomInstructions() {}

  public static Instruction next(Random random, ObjectStore local, int objects) {
    ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(objects));
    if (local.get(key).isEmpty()) {
      return random.nextInt(8) == 0
          ? new Instruction.EraseObject(key)
          : new Instruction.CreateObject(key);
    }
    int kind = random.nextInt(28);
    if (kind >= 20) {
      return listInstruction(random, key, local.get(key).get().getOrDefault("v", Value.NULL));
    }
    if (kind == 0) {
      return new Instruction.EraseObject(key);
    } else if (kind == 1) {
      return new Instruction.CreateObject(key);
    } else if (kind <= 5) {
      return new Instruction.AddInteger(key, "p0", random.nextInt(21) - 10);
    } else if (kind <= 8) {
      return new Instruction.SetInsert(key, "tags", 1 + random.nextInt(4));
    } else if (kind <= 10) {
      return new Instruction.SetErase(key, "tags", 1 + random.nextInt(4));
    } else if (kind == 11) {
      return new Instruction.SetClear(key, "tags");
    }
    return new Instruction.Update(
        key, "p" + random.nextInt(3), Value.of((long) random.nextInt(1000)));
  }

  /** An instruction on the list "v" with indexes valid for {@code list}, as a client makes them. */
  private static Instruction listInstruction(Random random, ObjectKey key, Value list) {
    int size = Values.elementsOf(list).size();
    Value element = Value.of((long) random.nextInt(1000));
    int kind = random.nextInt(10);
    if (kind == 0) {
      return new Instruction.Update(key, "v", new Value.Vector(List.of(element)));
    } else if (size == 0 || kind <= 4) {
      return new Instruction.ArrayInsert(key, "v", random.nextInt(size + 1), element);
    } else if (kind <= 6) {
      return new Instruction.ArraySet(key, "v", random.nextInt(size), element);
    } else if (kind <= 8) {
      return new Instruction.ArrayErase(key, "v", random.nextInt(size));
    }
    if (Boolean.getBoolean("nomove"))
      return new Instruction.ArrayErase(key, "v", random.nextInt(size));
    return new Instruction.ArrayMove(key, "v", random.nextInt(size), random.nextInt(size));
  }
}

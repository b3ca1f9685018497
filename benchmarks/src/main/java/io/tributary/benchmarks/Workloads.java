package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic concurrent work: mostly updates, some counters, relation links, list edits and erases,
 * on a set of objects large enough that about one instruction in ten meets a concurrent one on the
 * same property.
 */
final class Workloads {

  static final int INSTRUCTIONS_PER_CHANGESET = 10;

  private Workloads() {}

  /** {@code instructions} instructions of client {@code ident}, in changesets of ten. */
  static List<Changeset> changesets(long seed, long ident, int instructions, int objects) {
    Random random = new Random(seed);
    List<Changeset> changesets = new ArrayList<>();
    long clock = 1_000;
    for (int made = 0, version = 1; made < instructions; version++) {
      List<Instruction> batch = new ArrayList<>(INSTRUCTIONS_PER_CHANGESET);
      for (int i = 0; i < INSTRUCTIONS_PER_CHANGESET && made < instructions; i++, made++) {
        batch.add(instruction(random, objects));
      }
      clock += 1 + random.nextInt(3);
      changesets.add(new Changeset(version, 0, clock, ident, batch));
    }
    return changesets;
  }

  private static Instruction instruction(Random random, int objects) {
    ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(objects));
    int kind = random.nextInt(100);
    if (kind < 60) {
      return new Instruction.Update(key, "p" + random.nextInt(4), Value.of(random.nextLong()));
    } else if (kind < 75) {
      return new Instruction.AddInteger(key, "count", 1);
    } else if (kind < 87) {
      return new Instruction.SetInsert(key, "tags", 1 + random.nextInt(20));
    } else if (kind < 92) {
      return new Instruction.ArrayInsert(key, "list", random.nextInt(4), Value.of(kind));
    } else if (kind < 95) {
      return new Instruction.ArraySet(key, "list", random.nextInt(4), Value.of(kind));
    } else if (kind < 97) {
      return new Instruction.ArrayErase(key, "list", random.nextInt(4));
    }
    return new Instruction.EraseObject(key);
  }
}

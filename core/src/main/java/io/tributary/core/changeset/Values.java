package io.tributary.core.changeset;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Arithmetic and set operations on values, shared by application and transformation. */
public final class Values {

  private Values() {}

  /** An integer plus a delta; a property never set (null) counts as 0. */
  public static Value plus(Value value, long delta) {
    if (value instanceof Value.Int integer) {
      return Value.of(integer.value() + delta);
    }
    if (value instanceof Value.Null) {
      return Value.of(delta);
    }
    return value; // Validation keeps additions to integer properties.
  }

  public static Value with(Value set, long target) {
    SortedSet<Long> ids = idsOf(set);
    ids.add(target);
    return new Value.Ids(ids);
  }

  public static Value without(Value set, long target) {
    SortedSet<Long> ids = idsOf(set);
    ids.remove(target);
    return new Value.Ids(ids);
  }

  /**
   * The list after one instruction on it; a property never set (null) is the empty list. An index
   * out of range (only a misbehaving client sends one) changes nothing, on every replica alike.
   */
  public static Value listAfter(Value list, Instruction.ListInstruction instruction) {
    List<Value> elements = new ArrayList<>(elementsOf(list));
    int size = elements.size();
    if (instruction instanceof Instruction.ArrayInsert insert) {
      if (insert.index() < 0 || insert.index() > size) {
        return list;
      }
      elements.add(insert.index(), insert.value());
    } else if (instruction instanceof Instruction.ArraySet set) {
      if (!inRange(set.index(), size)) {
        return list;
      }
      elements.set(set.index(), set.value());
    } else if (instruction instanceof Instruction.ArrayErase erase) {
      if (!inRange(erase.index(), size)) {
        return list;
      }
      elements.remove(erase.index());
    } else if (instruction instanceof Instruction.ArrayMove move) {
      if (!inRange(move.from(), size) || !inRange(move.to(), size)) {
        return list;
      }
      elements.add(move.to(), elements.remove(move.from()));
    }
    return new Value.Vector(elements);
  }

  /** The elements of a list value; a property never set (null) is the empty list. */
  public static List<Value> elementsOf(Value value) {
    return value instanceof Value.Vector vector ? vector.elements() : List.of();
  }

  private static boolean inRange(int index, int size) {
    return index >= 0 && index < size;
  }

  private static SortedSet<Long> idsOf(Value value) {
    return value instanceof Value.Ids ids ? new TreeSet<>(ids.ids()) : new TreeSet<>();
  }
}

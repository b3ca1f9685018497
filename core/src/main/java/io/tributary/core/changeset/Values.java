package io.tributary.core.changeset;

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

  private static SortedSet<Long> idsOf(Value value) {
    return value instanceof Value.Ids ids ? new TreeSet<>(ids.ids()) : new TreeSet<>();
  }
}

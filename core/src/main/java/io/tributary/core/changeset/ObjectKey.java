package io.tributary.core.changeset;

import java.util.Comparator;

/** The identity of an object in a dataset: its entity and the value of its ID property. */
public record ObjectKey(String entity, long id) implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::entity).thenComparingLong(ObjectKey::id);

  @Override
  public int compareTo(ObjectKey other) {
    return ORDER.compare(this, other);
  }
}

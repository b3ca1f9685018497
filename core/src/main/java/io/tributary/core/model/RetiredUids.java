package io.tributary.core.model;

import java.util.Set;

/**
 * Uids a model has retired: ObjectBox keeps every removed entity, property, relation and index uid
 * so that none is ever used again for something else.
 */
public record RetiredUids(
    Set<Long> entities, Set<Long> properties, Set<Long> relations, Set<Long> indexes) {

  public static final RetiredUids NONE = new RetiredUids(Set.of(), Set.of(), Set.of(), Set.of());

  public RetiredUids {
    entities = Set.copyOf(entities);
    properties = Set.copyOf(properties);
    relations = Set.copyOf(relations);
    indexes = Set.copyOf(indexes);
  }
}

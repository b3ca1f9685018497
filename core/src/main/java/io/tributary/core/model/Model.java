package io.tributary.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A data model, as read from an ObjectBox objectbox-model.json file.
 *
 * @param retired the uids this model's history has removed; they may never come back
 */
public record Model(List<Entity> entities, int modelVersion, RetiredUids retired) {

  public Model {
    entities = List.copyOf(entities);
  }

  public Optional<Entity> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The entity with this uid, whatever its name in this model. */
  public Optional<Entity> entityByUid(long uid) {
    return entities.stream().filter(e -> e.id().uid() == uid).findFirst();
  }
}

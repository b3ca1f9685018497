package io.tributary.core.model;

import java.util.List;
import java.util.Optional;

/** A data model, as read from an ObjectBox objectbox-model.json file. */
public record Model(List<Entity> entities, int modelVersion) {

  public Model {
    entities = List.copyOf(entities);
  }

  public Optional<Entity> entity(String name) {
    return entities.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}

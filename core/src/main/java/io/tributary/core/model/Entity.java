package io.tributary.core.model;

import java.util.List;
import java.util.Optional;

/** An entity (object type) of the model. */
public record Entity(
    String name, IdUid id, int flags, List<Property> properties, List<Relation> relations) {

  public static final int FLAG_SYNC_ENABLED = 2;

  public Entity {
    properties = List.copyOf(properties);
    relations = List.copyOf(relations);
  }

  public boolean syncEnabled() {
    return (flags & FLAG_SYNC_ENABLED) != 0;
  }

  public Optional<Property> property(String propertyName) {
    return properties.stream().filter(p -> p.name().equals(propertyName)).findFirst();
  }

  /** The ID property; the parser refuses entities without exactly one. */
  public Property idProperty() {
    return properties.stream().filter(Property::isId).findFirst().orElseThrow();
  }
}

package io.tributary.gateway;

import io.tributary.core.model.Renames;
import io.tributary.schemas.StateObject;
import io.tributary.schemas.StoredProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** STATE objects in the current model's names, without what the current model removed. */
final class StateNames {

  private StateNames() {}

  static List<StateObject> toCurrent(List<StateObject> stored, Renames renames) {
    if (renames.isIdentity()) {
      return stored;
    }
    List<StateObject> current = new ArrayList<>(stored.size());
    for (StateObject object : stored) {
      String storedEntity = object.getEntity().toString();
      Optional<String> entity = renames.entityToCurrent(storedEntity);
      if (entity.isEmpty()) {
        continue;
      }
      List<StoredProperty> properties = new ArrayList<>();
      for (StoredProperty property : object.getProperties()) {
        renames
            .memberToCurrent(storedEntity, property.getName().toString())
            .ifPresent(name -> properties.add(new StoredProperty(name, property.getValue())));
      }
      // STATE sends properties sorted by name; a rename can change the order.
      properties.sort(Comparator.comparing(p -> p.getName().toString()));
      current.add(new StateObject(entity.get(), object.getId(), properties));
    }
    return current;
  }
}

package io.tributary.core.state;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.Optional;
import java.util.SortedMap;

/** Read access to the objects of one dataset. */
public interface ObjectStore {

  /** The properties of the object, sorted by name, or empty if it does not exist. */
  Optional<SortedMap<String, Value>> get(ObjectKey key);
}

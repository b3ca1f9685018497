package io.tributary.core.state;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.SortedMap;

/** Write access to the objects of one dataset; only {@link ChangesetApplier} writes through it. */
public interface MutableObjectStore extends ObjectStore {

  void put(ObjectKey key, SortedMap<String, Value> properties);

  void remove(ObjectKey key);
}

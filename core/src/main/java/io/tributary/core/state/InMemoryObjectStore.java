package io.tributary.core.state;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A store in a sorted map: the client's local state, and the reference model in tests. */
public final class InMemoryObjectStore implements MutableObjectStore {

  private final TreeMap<ObjectKey, SortedMap<String, Value>> objects = new TreeMap<>();

  @Override
  public Optional<SortedMap<String, Value>> get(ObjectKey key) {
    return Optional.ofNullable(objects.get(key));
  }

  @Override
  public void put(ObjectKey key, SortedMap<String, Value> properties) {
    objects.put(key, Collections.unmodifiableSortedMap(new TreeMap<>(properties)));
  }

  @Override
  public void remove(ObjectKey key) {
    objects.remove(key);
  }

  /** An independent store with the same objects. */
  public InMemoryObjectStore copy() {
    InMemoryObjectStore copy = new InMemoryObjectStore();
    copy.objects.putAll(objects); // Property maps are unmodifiable: sharing them is safe.
    return copy;
  }

  /** An immutable copy of every object, sorted by key. */
  public SortedMap<ObjectKey, SortedMap<String, Value>> snapshot() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(objects));
  }
}

package io.tributary.client;

import io.tributary.core.session.ClientMeta;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;

/** A copy that lives as long as the process: for tests and throwaway clients. */
final class MemoryState implements ClientState {

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final LocalReplica replica = new LocalReplica(objects);
  private ClientMeta meta = ClientMeta.NEW;
  private final java.util.SortedMap<
          io.tributary.core.changeset.ObjectKey,
          java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      staged = new java.util.TreeMap<>();

  @Override
  public void stage(
      io.tributary.core.changeset.ObjectKey key,
      java.util.SortedMap<String, io.tributary.core.changeset.Value> properties) {
    staged.put(key, properties);
  }

  @Override
  public void clearStaged() {
    staged.clear();
  }

  @Override
  public java.util.SortedMap<
          io.tributary.core.changeset.ObjectKey,
          java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      staged() {
    return new java.util.TreeMap<>(staged);
  }

  @Override
  public MutableObjectStore objects() {
    return objects;
  }

  @Override
  public LocalReplica replica() {
    return replica;
  }

  @Override
  public ClientMeta meta() {
    return meta;
  }

  @Override
  public void commit(ClientMeta newMeta) {
    replica.drainChanges(); // Nothing to write: the replica is the copy.
    meta = newMeta;
  }

  @Override
  public java.util.SortedMap<
          io.tributary.core.changeset.ObjectKey,
          java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      snapshot() {
    return objects.snapshot();
  }

  @Override
  public java.util.SortedMap<Long, java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      objectsOf(String entity) {
    java.util.SortedMap<Long, java.util.SortedMap<String, io.tributary.core.changeset.Value>>
        found = new java.util.TreeMap<>();
    objects
        .snapshot()
        .forEach(
            (key, properties) -> {
              if (key.entity().equals(entity)) {
                found.put(key.id(), properties);
              }
            });
    return found;
  }

  @Override
  public void close() {}
}

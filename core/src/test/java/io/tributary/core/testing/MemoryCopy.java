package io.tributary.core.testing;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.session.ClientCopy;
import io.tributary.core.session.ClientMeta;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;
import java.util.SortedMap;
import java.util.TreeMap;

/** A client's copy in memory, for tests of the client's machine. */
public final class MemoryCopy implements ClientCopy {

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final LocalReplica replica = new LocalReplica(store);
  private final SortedMap<ObjectKey, SortedMap<String, Value>> staged = new TreeMap<>();
  private ClientMeta meta = ClientMeta.NEW;
  private int commits;

  @Override
  public MutableObjectStore objects() {
    return store;
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
    replica.drainChanges();
    meta = newMeta;
    commits++;
  }

  @Override
  public void clearObjects() {
    store.snapshot().keySet().forEach(store::remove);
  }

  @Override
  public void stage(ObjectKey key, SortedMap<String, Value> properties) {
    staged.put(key, properties);
  }

  @Override
  public void clearStaged() {
    staged.clear();
  }

  @Override
  public void adoptStaged() {
    clearObjects();
    staged.forEach(store::put);
    staged.clear();
  }

  public SortedMap<ObjectKey, SortedMap<String, Value>> snapshot() {
    return store.snapshot();
  }

  public int commits() {
    return commits;
  }
}

package io.tributary.client;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.session.ClientCopy;
import java.util.SortedMap;

/**
 * A client's copy of a dataset, as the SDK keeps it: in memory or in RocksDB. Changes made through
 * {@link #replica()} become durable together at {@link #commit}: after a crash, the copy is as of
 * the last commit, never in between.
 */
interface ClientState extends ClientCopy, AutoCloseable {

  /** Every object of {@code entity}, by id, as of the last commit. */
  SortedMap<Long, SortedMap<String, Value>> objectsOf(String entity);

  /** Every object, as of the last commit. */
  SortedMap<ObjectKey, SortedMap<String, Value>> snapshot();

  @Override
  default void clearObjects() {
    snapshot().keySet().forEach(objects()::remove);
  }

  @Override
  default void adoptStaged() {
    clearObjects();
    SortedMap<ObjectKey, SortedMap<String, Value>> staged = staged();
    staged.forEach(objects()::put);
    clearStaged();
  }

  /** The objects staged, as of the last commit. */
  SortedMap<ObjectKey, SortedMap<String, Value>> staged();

  @Override
  void close();
}

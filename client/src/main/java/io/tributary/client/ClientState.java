package io.tributary.client;

import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;

/**
 * A client's copy of a dataset: its objects, its replica (objects and pending changesets) and where
 * it stands. Changes made through {@link #replica()} become durable together at {@link #commit}:
 * after a crash, the copy is as of the last commit, never in between.
 */
interface ClientState extends AutoCloseable {

  MutableObjectStore objects();

  LocalReplica replica();

  ClientMeta meta();

  /** Every object of {@code entity}, by id, as of the last commit. */
  java.util.SortedMap<Long, java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      objectsOf(String entity);

  /** Every object, as of the last commit. */
  java.util.SortedMap<
          io.tributary.core.changeset.ObjectKey,
          java.util.SortedMap<String, io.tributary.core.changeset.Value>>
      snapshot();

  /** Makes everything changed since the last commit durable, with {@code meta}, at once. */
  void commit(ClientMeta meta);

  @Override
  void close();
}

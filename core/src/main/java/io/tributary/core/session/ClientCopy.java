package io.tributary.core.session;

import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;

/**
 * A client's copy of a dataset as its session machine reads and changes it: the objects, the
 * replica (objects and pending changesets) and where it stands. What changes through {@link
 * #replica()} and {@link #objects()} becomes durable together at {@link #commit}: after a crash the
 * copy is as of the last commit, never in between.
 */
public interface ClientCopy {

  MutableObjectStore objects();

  LocalReplica replica();

  ClientMeta meta();

  /** Makes everything changed since the last commit durable, with {@code meta}, at once. */
  void commit(ClientMeta meta);

  /** Removes every object (a STATE replaces them, or the copy starts over). */
  void clearObjects();
}

package io.tributary.core.session;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.state.MutableObjectStore;
import java.util.SortedMap;

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

  /** Removes every object (the copy starts over). */
  void clearObjects();

  /**
   * Keeps an object of a STATE being received apart from the objects the app sees and writes on,
   * until the last segment is in: the app's copy stays whole meanwhile.
   */
  void stage(ObjectKey key, SortedMap<String, Value> properties);

  /** Forgets whatever was staged: a transfer starts anew. */
  void clearStaged();

  /**
   * The committed staged objects become the objects, and every other object goes; nothing stays
   * staged. Durable at the next {@link #commit}.
   */
  void adoptStaged();
}

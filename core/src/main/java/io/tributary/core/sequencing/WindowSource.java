package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import java.util.List;

/**
 * Where a window restored from a checkpoint reads the entries it does not hold in memory: the
 * history log, by position. A checkpoint keeps a window's positions, not its changesets, so that
 * taking over a partition costs its datasets' small state rather than every changeset they keep.
 */
@FunctionalInterface
public interface WindowSource {

  /** The changesets integrated at these history positions, in the same order. */
  List<Changeset> changesetsAt(long[] positions);

  /** For a window that was never restored: it holds every entry it has. */
  WindowSource NONE =
      positions -> {
        throw new IllegalStateException("this window has no history to read entries from");
      };
}

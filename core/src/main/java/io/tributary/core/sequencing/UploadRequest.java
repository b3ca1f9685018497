package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import java.util.List;

/** What a gateway asks the sequencer of a dataset to do. */
public sealed interface UploadRequest {

  /** Integrate a client's changesets, listed by increasing client version. */
  record UploadChangesets(long clientIdent, List<Changeset> changesets) implements UploadRequest {
    public UploadChangesets {
      changesets = List.copyOf(changesets);
    }
  }

  /**
   * Integrate one changeset only if nothing of another client reached the dataset since its base: a
   * change that must not be merged (a booking, a transfer).
   */
  record Transact(long clientIdent, Changeset changeset) implements UploadRequest {}

  /** Allocate a new client file ident for a client that syncs this dataset for the first time. */
  record AllocateIdent() implements UploadRequest {}
}

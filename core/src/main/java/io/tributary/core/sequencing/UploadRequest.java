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

  /**
   * A backend's write: integrate {@code changeset} (whose origin and client version the sequencer
   * sets) once per {@code idempotencyKey}, on top of the head unless its base version says on top
   * of what it was decided.
   *
   * @param changeset its base version is {@link #AT_HEAD} when the backend gives none
   */
  record BackendWrite(String idempotencyKey, Changeset changeset) implements UploadRequest {
    /** The base version of a write decided on whatever the dataset holds when it is integrated. */
    public static final long AT_HEAD = -1;

    /** The client file ident backend writes come from: never allocated to a client. */
    public static final long SERVER_ORIGIN = 0;
  }
}

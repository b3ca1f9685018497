package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import java.util.List;

/** What a gateway asks the sequencer of a dataset to do. */
public sealed interface UploadRequest {

  /**
   * Integrate a client's changesets, listed by increasing client version.
   *
   * @param afterClientVersion the client version of the last changeset that the same session
   *     published before these ({@link #FIRST} for its first): if history does not hold it, an
   *     earlier upload of the session was lost on its way to Kafka (a failed send does not stop the
   *     later ones), and integrating these would acknowledge it
   */
  record UploadChangesets(long clientIdent, long afterClientVersion, List<Changeset> changesets)
      implements UploadRequest {

    /** What a session's first upload comes after: nothing to check. */
    public static final long FIRST = 0;

    public UploadChangesets {
      changesets = List.copyOf(changesets);
    }

    /** A session's first upload. */
    public UploadChangesets(long clientIdent, List<Changeset> changesets) {
      this(clientIdent, FIRST, changesets);
    }
  }

  /**
   * Integrate one changeset only if nothing of another client reached the dataset since its base: a
   * change that must not be merged (a booking, a transfer).
   */
  record Transact(long clientIdent, long afterClientVersion, Changeset changeset)
      implements UploadRequest {

    /** A session's first upload. */
    public Transact(long clientIdent, Changeset changeset) {
      this(clientIdent, UploadChangesets.FIRST, changeset);
    }
  }

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

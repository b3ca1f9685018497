package io.tributary.core.sequencing;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;

/**
 * A decision of the sequencer, as recorded in the dataset's history. Replaying these events
 * reproduces every decision: state is derived from them, never from the uploads.
 */
public sealed interface HistoryEvent {

  /**
   * A changeset integrated at {@code version}, already transformed against what preceded it.
   *
   * @param original the changeset as uploaded, if the transform changed it (else null): a replay
   *     needs it to rebuild what its client saw ({@link ReciprocalHistory})
   * @param idempotencyKey a backend write's key (else null), in the record of the write itself, so
   *     that a sequencer replaying history knows it even if the {@link WriteDecided} after it was
   *     never written
   */
  record Integrated(long version, Changeset changeset, Changeset original, String idempotencyKey)
      implements HistoryEvent {
    public Integrated(long version, Changeset changeset) {
      this(version, changeset, null, null);
    }

    public Integrated(long version, Changeset changeset, Changeset original) {
      this(version, changeset, original, null);
    }

    /** The changeset as its client uploaded it. */
    public Changeset uploaded() {
      return original == null ? changeset : original;
    }
  }

  /** A new client file ident, with the salt the client must present with it. */
  record IdentAllocated(long ident, long salt, ReplyTo replyTo) implements HistoryEvent {}

  /**
   * The verdict on a TRANSACT: accepted (the changeset is integrated, in an {@link Integrated}
   * event just before) or rejected because another client's change came first.
   */
  record TransactDecided(ReplyTo replyTo, long clientVersion, boolean accepted, String message)
      implements HistoryEvent {}

  /**
   * The answer to a backend write: integrated at {@code version} (in an {@link Integrated} event
   * just before), or {@code repeated}: its idempotency key was integrated at {@code version}
   * before.
   */
  record WriteDecided(ReplyTo replyTo, String idempotencyKey, long version, boolean repeated)
      implements HistoryEvent {}

  /** An upload that was refused; nothing of it was integrated. */
  record UploadRejected(ReplyTo replyTo, ErrorCode error, String message) implements HistoryEvent {}
}

package io.tributary.core.sequencing;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;

/**
 * A decision of the sequencer, as recorded in the dataset's history. Replaying these events
 * reproduces every decision: state is derived from them, never from the uploads.
 */
public sealed interface HistoryEvent {

  /** A changeset integrated at {@code version}, already transformed against what preceded it. */
  record Integrated(long version, Changeset changeset) implements HistoryEvent {}

  /** A new client file ident, with the salt the client must present with it. */
  record IdentAllocated(long ident, long salt, ReplyTo replyTo) implements HistoryEvent {}

  /** An upload that was refused; nothing of it was integrated. */
  record UploadRejected(ReplyTo replyTo, ErrorCode error, String message) implements HistoryEvent {}
}

package io.tributary.core.session;

import io.tributary.core.ErrorCode;

/** What happens to a session besides its client's messages: answers, verdicts, the socket. */
public sealed interface SessionEvent {

  /** The sequencer allocated the client file ident this session's BIND asked for. */
  record IdentAllocated(long ident, long salt) implements SessionEvent {}

  /** The sequencer refused an upload of this session; nothing of it was integrated. */
  record UploadRejected(ErrorCode error, String message) implements SessionEvent {}

  /** The verdict on this session's TRANSACT. */
  record TransactDecided(long clientVersion, boolean accepted, String message)
      implements SessionEvent {}

  /** A changeset of the session's dataset, just materialized. */
  record Live(HistoryItem item) implements SessionEvent {}

  record ProgressRead(ProgressQuery query, long head, long lastClientVersion)
      implements SessionEvent {}

  record PageRead(CatchUpPage page) implements SessionEvent {}

  record StatePageRead(StatePage page) implements SessionEvent {}

  record ReadFailed(ReadRequest request, ReadFailure failure, String message)
      implements SessionEvent {}

  /** Kafka did not take a record this session published. */
  record PublishFailed(String message) implements SessionEvent {}

  /** The connection's outbound queue is full: the client reads more slowly than we write. */
  record Congested() implements SessionEvent {}

  /** The connection's outbound queue has drained after {@link SessionEffect.AwaitDrain}. */
  record Drained() implements SessionEvent {}
}

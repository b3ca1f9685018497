package io.tributary.core.session;

/** Why a session asks where history and its client file stand: the answer goes back to it. */
public sealed interface ProgressQuery {

  /**
   * IDENT said the server acknowledged changesets up to {@code claimed}: does history have them?
   */
  record CheckClaim(long claimed) implements ProgressQuery {}

  /** A MARK waits for the history head of now. */
  record AnswerMark(long requestId) implements ProgressQuery {}

  /** CLIENT_VERSION_REQUEST. */
  record AnswerClientVersion() implements ProgressQuery {}
}

package io.tributary.core.session;

/** What a session reads from the materializer's read API; the answer is a {@link SessionEvent}. */
public sealed interface ReadRequest {

  /**
   * Where history ends and the client file's last changeset in it: {@link
   * SessionEvent.ProgressRead}.
   */
  record ReadProgress(long clientIdent, long salt, ProgressQuery query) implements ReadRequest {}

  /** History after {@code after}: {@link SessionEvent.PageRead}. */
  record FetchHistory(long after, long afterSalt, long clientIdent, long salt)
      implements ReadRequest {}

  /** The first page of the state, in a new snapshot: {@link SessionEvent.StatePageRead}. */
  record FetchState(long clientIdent, long salt) implements ReadRequest {}

  /** The page of the same snapshot after {@code previous}: {@link SessionEvent.StatePageRead}. */
  record FetchStateNext(StatePage previous) implements ReadRequest {}
}

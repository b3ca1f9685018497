package io.tributary.core.session;

/** Why a read from the materializer failed, as a session must react to it. */
public enum ReadFailure {
  /** The client's history at its version is not the server's: the client must reset. */
  HISTORY_DIVERGED,
  /** The dataset does not know the client file, or not with that salt. */
  UNKNOWN_CLIENT_FILE,
  /** A state snapshot was released before the transfer ended. */
  STATE_EXPIRED,
  /** The materializer cannot be reached, or answered something unexpected. */
  UNAVAILABLE
}

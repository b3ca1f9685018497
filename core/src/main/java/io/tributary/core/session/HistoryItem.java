package io.tributary.core.session;

/**
 * A history entry on its way to a client, as a session needs to know it: its place in history and
 * whose it is. What it holds stays with the shell, which encodes it once for every session that
 * sends it; the machine only decides which items go out, in which message.
 */
public interface HistoryItem {

  long version();

  /** The salt of {@link #version()}: the history up to it, named. */
  long salt();

  /** Bytes of history up to and including this entry, for download progress. */
  long historyBytes();

  /** The client file that made the changeset. */
  long originIdent();

  long clientVersion();
}

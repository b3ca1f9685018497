package io.tributary.core.session;

/**
 * One page of a dataset's state, read from one snapshot. Its objects stay with the shell, which
 * sends them as they came; the session decides whether and as which segment.
 */
public interface StatePage {

  long serverVersion();

  long salt();

  /** The client file's last changeset in the state. */
  long uploadProgress();

  /** Whether this page ends the state. */
  boolean last();
}

package io.tributary.core.session;

import java.util.List;

/**
 * A range of history from the materializer, after the version a session asked from.
 *
 * @param head the dataset's last version when the page was read
 * @param headHistoryBytes bytes of history up to {@code head}
 * @param afterHistoryBytes bytes of history up to the version asked from
 * @param uploadProgress the asking client file's last changeset in history up to {@code head}
 * @param entries the entries after the version asked from, in order; at most a page of them
 */
public record CatchUpPage(
    long head,
    long headHistoryBytes,
    long afterHistoryBytes,
    long uploadProgress,
    List<? extends HistoryItem> entries) {

  public CatchUpPage {
    entries = List.copyOf(entries);
  }
}

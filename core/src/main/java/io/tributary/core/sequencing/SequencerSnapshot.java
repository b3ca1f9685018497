package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A {@link DatasetSequencer}'s state at one point of its history: everything it needs to decide as
 * it would have, except the changesets of its window, of which it keeps the positions in the log.
 *
 * @param head the dataset's last version
 * @param lastIdent the last client file ident allocated
 * @param clientVersions the last client version integrated, by client file ident
 * @param recentWrites the backend writes' idempotency keys, oldest first
 * @param views what each client with changesets in flight sees (the reciprocal history)
 * @param windowPositions the log positions of the window's entries, which end at {@code head}
 */
public record SequencerSnapshot(
    long head,
    long lastIdent,
    SortedMap<Long, Long> clientVersions,
    List<RecentWrite> recentWrites,
    List<ClientView> views,
    long[] windowPositions) {

  /** A backend write's idempotency key and the version it was integrated at. */
  public record RecentWrite(String idempotencyKey, long version) {}

  /**
   * The entries one client's changesets were merged with, as that client sees them (by version),
   * kept until its base passes {@code lastOwnVersion}.
   */
  public record ClientView(long client, long lastOwnVersion, SortedMap<Long, Changeset> rebased) {}

  // A record compares arrays by reference: these compare the positions themselves.
  @Override
  public boolean equals(Object other) {
    return other instanceof SequencerSnapshot that
        && head == that.head
        && lastIdent == that.lastIdent
        && clientVersions.equals(that.clientVersions)
        && recentWrites.equals(that.recentWrites)
        && views.equals(that.views)
        && Arrays.equals(windowPositions, that.windowPositions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(head, lastIdent, clientVersions, recentWrites, views)
        + 31 * Arrays.hashCode(windowPositions);
  }

  @Override
  public String toString() {
    return "SequencerSnapshot[head=%d, lastIdent=%d, clients=%d, recentWrites=%d, views=%d, window=%d]"
        .formatted(
            head,
            lastIdent,
            clientVersions.size(),
            recentWrites.size(),
            views.size(),
            windowPositions.length);
  }
}

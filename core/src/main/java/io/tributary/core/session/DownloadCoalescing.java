package io.tributary.core.session;

import io.tributary.core.session.SessionEffect.SendDownload;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins DOWNLOADs that follow each other into one, for a client that is behind: when a connection
 * takes several live changesets at once, each session would otherwise get one message per
 * changeset, and the frames (their encoding, their system calls, the client's decoding) cost more
 * than the changesets. Only what means the same joined is joined: see {@link #joinable}.
 */
public final class DownloadCoalescing {

  /** Changesets in one joined DOWNLOAD at most. */
  public static final int MAX_CHANGESETS = 256;

  /** Bytes of history in one joined DOWNLOAD at most: catch-up pages are full already. */
  public static final long MAX_BYTES = 1024 * 1024;

  private DownloadCoalescing() {}

  /**
   * The effects, in order, with each DOWNLOAD that directly follows a joinable one of the same
   * session folded into it.
   */
  public static List<SessionEffect> coalesce(List<SessionEffect> effects) {
    List<SessionEffect> out = new ArrayList<>(effects.size());
    for (SessionEffect effect : effects) {
      int last = out.size() - 1;
      if (last >= 0
          && out.get(last) instanceof SendDownload previous
          && effect instanceof SendDownload next
          && joinable(previous, next)) {
        List<HistoryItem> changesets = new ArrayList<>(previous.changesets());
        changesets.addAll(next.changesets());
        out.set(last, new SendDownload(next.header(), changesets));
      } else {
        out.add(effect);
      }
    }
    return out;
  }

  /**
   * Whether {@code next} may be folded into {@code previous}: both of one session and carrying
   * changesets, {@code previous} not cut short (its header is at its last changeset: a DOWNLOAD cut
   * after the client's own changeset ends at that changeset's version, and the client must learn
   * where its own changeset sits), the same upload progress (none of the client's own between
   * them), the versions in order, and the result within {@link #MAX_CHANGESETS} and {@link
   * #MAX_BYTES}.
   */
  static boolean joinable(SendDownload previous, SendDownload next) {
    List<HistoryItem> before = previous.changesets();
    List<HistoryItem> after = next.changesets();
    return previous.header().session() == next.header().session()
        && !before.isEmpty()
        && !after.isEmpty()
        && previous.header().serverVersion() == before.get(before.size() - 1).version()
        && previous.header().uploadProgress() == next.header().uploadProgress()
        && after.get(0).version() > before.get(before.size() - 1).version()
        && before.size() + after.size() <= MAX_CHANGESETS
        && after.get(after.size() - 1).historyBytes() - before.get(0).historyBytes() <= MAX_BYTES;
  }
}

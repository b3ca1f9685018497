package io.tributary.core.session;

import io.tributary.core.protocol.DownloadHeader;
import io.tributary.core.session.SessionEffect.SendDownload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a session's downloads stand: the last version sent and its salt, the client's upload
 * progress, and the live changesets waiting while it catches up. Live changesets and catch-up pages
 * go through the same rule: history goes out in order without a gap, and a DOWNLOAD is cut after
 * each of the client's own changesets, because a message's upload progress holds as of its last
 * version: the client must still treat its changeset as pending while it integrates the entries
 * before it, and no longer afterwards.
 */
final class DownloadCursor {

  /** Where a live changeset stands against what was sent. */
  enum Fit {
    /** Sent already. */
    OLD,
    /** The next one: it can go out now. */
    NEXT,
    /** Something between is missing: catch up from history first. */
    AHEAD
  }

  private final long session;
  private final long clientIdent;
  private final int maxBuffered;
  private final ArrayDeque<HistoryItem> buffered = new ArrayDeque<>();
  private boolean overflowed;
  private long lastSentVersion;
  private long lastSentSalt;

  /** -1 until the first catch-up page tells: a live changeset cannot go out before. */
  private long lastSentHistoryBytes = -1;

  private long latestServerVersion;
  private long latestHistoryBytes;
  private long uploadProgress;

  DownloadCursor(
      long session,
      long clientIdent,
      int maxBuffered,
      long version,
      long salt,
      long uploadProgress) {
    this.session = session;
    this.clientIdent = clientIdent;
    this.maxBuffered = maxBuffered;
    this.lastSentVersion = version;
    this.lastSentSalt = salt;
    this.uploadProgress = uploadProgress;
  }

  /** The upload progress the client has been sent. */
  long uploadProgress() {
    return uploadProgress;
  }

  long lastSentVersion() {
    return lastSentVersion;
  }

  long lastSentSalt() {
    return lastSentSalt;
  }

  Fit fit(HistoryItem item) {
    if (item.version() <= lastSentVersion) {
      return Fit.OLD;
    }
    return item.version() == lastSentVersion + 1 && lastSentHistoryBytes >= 0
        ? Fit.NEXT
        : Fit.AHEAD;
  }

  /** Keeps a live changeset for after the catch-up; beyond the bound, history has it. */
  void buffer(HistoryItem item) {
    if (buffered.size() < maxBuffered) {
      buffered.add(item);
    } else {
      overflowed = true;
    }
  }

  /** Forgets the buffer: what it held is fetched from history again. */
  void dropBuffer() {
    buffered.clear();
    overflowed = true;
  }

  /** Whether buffered changesets were dropped since the last call: then fetch again. */
  boolean takeOverflow() {
    boolean dropped = overflowed;
    overflowed = false;
    return dropped;
  }

  HistoryItem pollBuffered() {
    return buffered.poll();
  }

  /** The dataset's history reaches at least {@code head}. */
  void noteHead(long head) {
    latestServerVersion = Math.max(latestServerVersion, head);
  }

  /** The DOWNLOADs that send a live changeset that {@link Fit#NEXT fits}. */
  List<SendDownload> live(HistoryItem item) {
    List<SendDownload> downloads = new ArrayList<>(1);
    List<HistoryItem> others = take(List.of(item), downloads);
    if (!others.isEmpty()) {
      downloads.add(download(others));
    }
    return downloads;
  }

  /**
   * The DOWNLOADs that send a page of history. A page that reaches the head always ends with one,
   * so that the client learns where history and its uploads stand even when nothing is new.
   */
  List<SendDownload> page(CatchUpPage page) {
    noteHead(page.head());
    latestHistoryBytes = Math.max(latestHistoryBytes, page.headHistoryBytes());
    if (lastSentHistoryBytes < 0) {
      lastSentHistoryBytes = page.afterHistoryBytes();
    }
    List<SendDownload> downloads = new ArrayList<>();
    List<HistoryItem> others = take(page.entries(), downloads);
    boolean atHead = lastSentVersion >= page.head();
    if (atHead) {
      uploadProgress = Math.max(uploadProgress, page.uploadProgress());
    }
    if (!others.isEmpty() || page.entries().isEmpty() || atHead) {
      downloads.add(download(others));
    }
    return downloads;
  }

  /** Takes the items not sent yet; returns the others' changesets after the last cut. */
  private List<HistoryItem> take(List<? extends HistoryItem> items, List<SendDownload> downloads) {
    List<HistoryItem> others = new ArrayList<>();
    for (HistoryItem item : items) {
      if (item.version() <= lastSentVersion) {
        continue;
      }
      lastSentVersion = item.version();
      lastSentSalt = item.salt();
      lastSentHistoryBytes = item.historyBytes();
      latestHistoryBytes = Math.max(latestHistoryBytes, item.historyBytes());
      if (item.originIdent() == clientIdent) {
        uploadProgress = Math.max(uploadProgress, item.clientVersion());
        downloads.add(download(others));
        others = new ArrayList<>();
      } else {
        others.add(item);
      }
    }
    return others;
  }

  private SendDownload download(List<HistoryItem> changesets) {
    noteHead(lastSentVersion);
    return new SendDownload(
        new DownloadHeader(
            session,
            lastSentVersion,
            lastSentSalt,
            uploadProgress,
            latestServerVersion,
            Math.max(0, latestHistoryBytes - lastSentHistoryBytes)),
        changesets);
  }
}

package io.tributary.core.sequencing;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.HistoryEvent.TransactDecided;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.HistoryEvent.WriteDecided;
import io.tributary.core.sequencing.UploadRequest.BackendWrite;
import io.tributary.core.sequencing.UploadRequest.Transact;
import io.tributary.core.sequencing.UploadRequest.UploadChangesets;
import io.tributary.core.transform.Transformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The single writer of one dataset's history: decides what each upload becomes.
 *
 * <p>{@link #handle} turns a request into history events and applies them at once; {@link #apply}
 * alone rebuilds the same state from history on replay. The state is only ever changed by applying
 * events, so a replayed sequencer makes exactly the decisions the original one made.
 */
public final class DatasetSequencer {

  private static final int FORGET_EVERY = 1024;

  private final HistoryWindow window;
  private final ReciprocalHistory reciprocal = new ReciprocalHistory();
  private final Map<Long, Long> lastClientVersions = new HashMap<>();
  private final RecentWrites recentWrites = new RecentWrites(RecentWrites.KEPT);
  private long head;
  private long lastIdent;

  /**
   * @param windowLimit how many recent history entries are kept to transform uploads against; a
   *     client whose base is older than that must reset
   */
  public DatasetSequencer(int windowLimit) {
    this(new HistoryWindow(windowLimit));
  }

  private DatasetSequencer(HistoryWindow window) {
    this.window = window;
  }

  /**
   * The sequencer {@code snapshot} was taken of, deciding exactly as it would; its window reads the
   * changesets it needs from {@code source} when it first needs them.
   */
  public static DatasetSequencer restore(
      SequencerSnapshot snapshot, int windowLimit, WindowSource source) {
    DatasetSequencer restored =
        new DatasetSequencer(
            HistoryWindow.restored(
                windowLimit, snapshot.head(), snapshot.windowPositions(), source));
    restored.head = snapshot.head();
    restored.lastIdent = snapshot.lastIdent();
    restored.lastClientVersions.putAll(snapshot.clientVersions());
    snapshot
        .recentWrites()
        .forEach(w -> restored.recentWrites.put(w.idempotencyKey(), w.version()));
    restored.reciprocal.restore(snapshot.views());
    return restored;
  }

  /**
   * The state to restore this sequencer from; every integrated entry must have been {@link
   * #positioned} (or applied with its position).
   */
  public SequencerSnapshot snapshot() {
    return new SequencerSnapshot(
        head,
        lastIdent,
        new java.util.TreeMap<>(lastClientVersions),
        recentWrites.inOrder(),
        reciprocal.views(),
        window.positions());
  }

  /** Records where the history log put the entry of {@code version} that this sequencer decided. */
  public void positioned(long version, long position) {
    window.positioned(version, position);
  }

  public long head() {
    return head;
  }

  /** Decides what {@code request} becomes, applies it, and returns the events to append. */
  public List<HistoryEvent> handle(ReplyTo replyTo, UploadRequest request, LongSupplier random) {
    if (request instanceof UploadChangesets upload) {
      return integrate(replyTo, upload);
    }
    if (request instanceof Transact transact) {
      return transact(replyTo, transact);
    }
    if (request instanceof BackendWrite write) {
      return write(replyTo, write);
    }
    return allocate(replyTo, random);
  }

  /** Applies one event of this dataset's history, whose position in the log is not known. */
  public void apply(HistoryEvent event) {
    apply(event, HistoryWindow.UNKNOWN);
  }

  /** Applies one event of this dataset's history, found at {@code position} in the log. */
  public void apply(HistoryEvent event, long position) {
    if (event instanceof Integrated integrated) {
      record(integrated, merge(integrated.uploaded()), position);
      if (integrated.idempotencyKey() != null) {
        recentWrites.put(integrated.idempotencyKey(), integrated.version());
      }
    } else if (event instanceof IdentAllocated allocated) {
      lastIdent = Math.max(lastIdent, allocated.ident());
      lastClientVersions.putIfAbsent(allocated.ident(), 0L);
    }
    // An UploadRejected or a TransactDecided changes nothing: they are replies.
  }

  private List<HistoryEvent> allocate(ReplyTo replyTo, LongSupplier random) {
    IdentAllocated allocated = new IdentAllocated(lastIdent + 1, saltFrom(random), replyTo);
    apply(allocated);
    return List.of(allocated);
  }

  private List<HistoryEvent> integrate(ReplyTo replyTo, UploadChangesets upload) {
    Long lastIntegrated = lastClientVersions.get(upload.clientIdent());
    if (lastIntegrated == null) {
      return List.of(
          reject(
              replyTo,
              ErrorCode.BAD_CLIENT_IDENT,
              "unknown client file ident " + upload.clientIdent()));
    }
    if (upload.afterClientVersion() > lastIntegrated) {
      return List.of(lostBefore(replyTo, upload.afterClientVersion(), lastIntegrated));
    }
    List<HistoryEvent> events = new ArrayList<>();
    long previous = lastIntegrated;
    for (Changeset changeset : upload.changesets()) {
      if (changeset.clientVersion() <= previous) {
        continue; // Already integrated: a re-upload after a reconnect.
      }
      UploadRejected rejected = check(changeset, upload.clientIdent(), replyTo);
      if (rejected != null) {
        events.add(rejected);
        return events; // Later changesets build on this one: none of them can be integrated.
      }
      Merge merge = merge(changeset);
      Changeset transformed = merge.result().incoming();
      Integrated integrated =
          new Integrated(head + 1, transformed, transformed.equals(changeset) ? null : changeset);
      record(integrated, merge);
      events.add(integrated);
      previous = changeset.clientVersion();
    }
    return events;
  }

  /**
   * An upload that comes after one its session published but history does not hold: that one was
   * lost on its way, and integrating this one would acknowledge it. Nothing is integrated; the
   * client uploads both again on its next session.
   */
  private static UploadRejected lostBefore(ReplyTo replyTo, long after, long lastIntegrated) {
    return reject(
        replyTo,
        ErrorCode.SERVER_UNAVAILABLE,
        "an earlier upload of this session (up to client version "
            + after
            + ") did not reach history, which holds this client's changesets up to "
            + lastIntegrated
            + ": upload again");
  }

  /**
   * A TRANSACT: integrated as it is if every entry since its base is its own client's, else
   * rejected. A re-sent one that is already integrated is accepted again.
   */
  private List<HistoryEvent> transact(ReplyTo replyTo, Transact transact) {
    Long lastIntegrated = lastClientVersions.get(transact.clientIdent());
    if (lastIntegrated == null) {
      return List.of(
          reject(
              replyTo,
              ErrorCode.BAD_CLIENT_IDENT,
              "unknown client file ident " + transact.clientIdent()));
    }
    Changeset changeset = transact.changeset();
    if (transact.afterClientVersion() > lastIntegrated) {
      return List.of(lostBefore(replyTo, transact.afterClientVersion(), lastIntegrated));
    }
    if (changeset.clientVersion() <= lastIntegrated) {
      return List.of(
          new TransactDecided(replyTo, changeset.clientVersion(), true, "already integrated"));
    }
    UploadRejected rejected = check(changeset, transact.clientIdent(), replyTo);
    if (rejected != null) {
      return List.of(rejected);
    }
    if (!window.onlyFrom(changeset.baseVersion(), transact.clientIdent())) {
      return List.of(
          new TransactDecided(
              replyTo,
              changeset.clientVersion(),
              false,
              "the dataset changed after version " + changeset.baseVersion()));
    }
    Merge merge = merge(changeset);
    Integrated integrated = new Integrated(head + 1, merge.result().incoming());
    record(integrated, merge);
    return List.of(
        integrated, new TransactDecided(replyTo, changeset.clientVersion(), true, "integrated"));
  }

  /**
   * A backend write: integrated like an upload from the server's own origin (its client version is
   * its server version, so that they only grow), unless its idempotency key is among the dataset's
   * recent writes, which answers with the version it got then.
   */
  private List<HistoryEvent> write(ReplyTo replyTo, BackendWrite write) {
    Long earlier = recentWrites.get(write.idempotencyKey());
    if (earlier != null) {
      return List.of(new WriteDecided(replyTo, write.idempotencyKey(), earlier, true));
    }
    Changeset given = write.changeset();
    Changeset changeset =
        new Changeset(
            head + 1,
            given.baseVersion() == BackendWrite.AT_HEAD ? head : given.baseVersion(),
            given.timestamp(),
            BackendWrite.SERVER_ORIGIN,
            given.instructions());
    UploadRejected rejected = check(changeset, BackendWrite.SERVER_ORIGIN, replyTo);
    if (rejected != null) {
      return List.of(rejected);
    }
    Merge merge = merge(changeset);
    Changeset transformed = merge.result().incoming();
    Integrated integrated =
        new Integrated(
            head + 1,
            transformed,
            transformed.equals(changeset) ? null : changeset,
            write.idempotencyKey());
    record(integrated, merge);
    recentWrites.put(write.idempotencyKey(), integrated.version());
    return List.of(
        integrated, new WriteDecided(replyTo, write.idempotencyKey(), integrated.version(), false));
  }

  /** An uploaded changeset merged with what its client had not seen, not yet recorded. */
  private record Merge(ReciprocalHistory.Unseen unseen, Transformer.Merged result) {}

  private Merge merge(Changeset uploaded) {
    if (uploaded.originIdent() == BackendWrite.SERVER_ORIGIN) {
      // Backend writes share the server's origin but not a history: each is decided on its own
      // base, has seen none of the others, and is concurrent with them. It is merged as a
      // stranger's, and keeps the server's origin.
      Merge merge = mergeAs(withOrigin(uploaded, STRANGER));
      return new Merge(
          merge.unseen(),
          new Transformer.Merged(
              withOrigin(merge.result().incoming(), BackendWrite.SERVER_ORIGIN),
              merge.result().concurrent()));
    }
    return mergeAs(uploaded);
  }

  private Merge mergeAs(Changeset uploaded) {
    ReciprocalHistory.Unseen unseen =
        reciprocal.unseenBy(
            uploaded.originIdent(),
            uploaded.baseVersion(),
            window.touching(uploaded.baseVersion(), HistoryWindow.objectsOf(uploaded)));
    return new Merge(unseen, Transformer.merge(uploaded, unseen.changesets()));
  }

  /** An origin no client file has (idents count up from 1). */
  private static final long STRANGER = Long.MIN_VALUE;

  private static Changeset withOrigin(Changeset changeset, long origin) {
    return new Changeset(
        changeset.clientVersion(),
        changeset.baseVersion(),
        changeset.timestamp(),
        origin,
        changeset.instructions());
  }

  private void record(Integrated integrated, Merge merge) {
    record(integrated, merge, HistoryWindow.UNKNOWN);
  }

  private void record(Integrated integrated, Merge merge, long position) {
    head = integrated.version();
    Changeset changeset = integrated.changeset();
    lastClientVersions.put(changeset.originIdent(), changeset.clientVersion());
    window.add(new HistoryEntry(integrated.version(), changeset), position);
    // Backend writes share an origin but not a history: none has a view to keep.
    if (changeset.originIdent() != BackendWrite.SERVER_ORIGIN) {
      reciprocal.integrated(
          changeset.originIdent(),
          changeset.baseVersion(),
          integrated.version(),
          merge.unseen(),
          merge.result().concurrent());
    }
    if (head % FORGET_EVERY == 0) {
      reciprocal.forgetBefore(window.oldestVersion(head));
    }
  }

  /** The rejection of a changeset that cannot be integrated, or null if it can. */
  private UploadRejected check(Changeset changeset, long clientIdent, ReplyTo replyTo) {
    if (changeset.originIdent() != clientIdent) {
      return reject(
          replyTo,
          ErrorCode.BAD_PROGRESS,
          "changeset of client " + changeset.originIdent() + " uploaded by " + clientIdent);
    }
    if (changeset.baseVersion() > head || changeset.baseVersion() < 0) {
      return reject(
          replyTo,
          ErrorCode.BAD_PROGRESS,
          "changeset base version "
              + changeset.baseVersion()
              + " is not in this dataset's history (head "
              + head
              + ")");
    }
    long oldestKept = window.oldestVersion(head);
    if (changeset.baseVersion() + 1 < oldestKept) {
      return reject(
          replyTo,
          ErrorCode.CLIENT_RESET_REQUIRED,
          "changeset base version "
              + changeset.baseVersion()
              + " is older than the history kept for transformation (from "
              + oldestKept
              + ")");
    }
    return null;
  }

  private static UploadRejected reject(ReplyTo replyTo, ErrorCode error, String message) {
    return new UploadRejected(replyTo, error, message);
  }

  private static long saltFrom(LongSupplier random) {
    long salt = random.getAsLong() & Long.MAX_VALUE;
    return salt == 0 ? 1 : salt;
  }
}

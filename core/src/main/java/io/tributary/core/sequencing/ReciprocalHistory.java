package io.tributary.core.sequencing;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HistoryEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history as each client with changesets in flight sees it (Realm calls this the reciprocal
 * history).
 *
 * <p>A client makes each changeset on top of its own earlier ones, including those the server
 * integrated after entries the client had not downloaded yet. Those entries, as stored, apply
 * before the client's changes; the client sees them rebased onto its own changes, which is what a
 * new changeset of it must be transformed against (list positions depend on it). So when a client's
 * changeset is integrated, the entries it was merged with are kept here as rebased onto it, until
 * the client's base passes its last integrated changeset.
 */
final class ReciprocalHistory {

  /** The concurrent entries of an upload: their versions, and their changesets as seen. */
  record Unseen(List<Long> versions, List<Changeset> changesets) {}

  private static final class ClientView {
    private long lastOwnVersion;
    private final TreeMap<Long, Changeset> rebased = new TreeMap<>();
  }

  private final Map<Long, ClientView> views = new HashMap<>();

  /**
   * The entries after {@code base} that a changeset of {@code client} is concurrent with, as the
   * client sees them: its own left out, the others rebased onto its own changes.
   */
  Unseen unseenBy(long client, long base, List<HistoryEntry> entriesAfterBase) {
    ClientView view = views.get(client);
    if (view != null && view.lastOwnVersion <= base) {
      views.remove(client); // The client has seen everything up to its own last change.
      view = null;
    }
    List<Long> versions = new ArrayList<>();
    List<Changeset> changesets = new ArrayList<>();
    for (HistoryEntry entry : entriesAfterBase) {
      if (entry.changeset().originIdent() == client) {
        continue;
      }
      versions.add(entry.version());
      changesets.add(
          view == null
              ? entry.changeset()
              : view.rebased.getOrDefault(entry.version(), entry.changeset()));
    }
    return new Unseen(versions, changesets);
  }

  /**
   * Records that {@code client}'s changeset with {@code base} was integrated at {@code version},
   * merged with {@code unseen}, which became {@code rebased}.
   */
  void integrated(long client, long base, long version, Unseen unseen, List<Changeset> rebased) {
    ClientView view = views.computeIfAbsent(client, k -> new ClientView());
    view.rebased.headMap(base, true).clear();
    for (int i = 0; i < rebased.size(); i++) {
      if (rebased.get(i) != unseen.changesets().get(i)) {
        view.rebased.put(unseen.versions().get(i), rebased.get(i));
      }
    }
    view.lastOwnVersion = version;
  }

  /**
   * Drops what no upload can need any more: an upload whose base is older than the oldest entry
   * kept is refused anyway.
   */
  void forgetBefore(long oldestKept) {
    views.values().removeIf(view -> view.lastOwnVersion < oldestKept);
    views.values().forEach(view -> view.rebased.headMap(oldestKept).clear());
  }

  /** The views, by client, for a checkpoint. */
  List<SequencerSnapshot.ClientView> views() {
    List<SequencerSnapshot.ClientView> all = new ArrayList<>(views.size());
    new java.util.TreeMap<>(views)
        .forEach(
            (client, view) ->
                all.add(
                    new SequencerSnapshot.ClientView(
                        client, view.lastOwnVersion, new TreeMap<>(view.rebased))));
    return all;
  }

  /** Takes back the views of a checkpoint. */
  void restore(List<SequencerSnapshot.ClientView> restored) {
    views.clear();
    for (SequencerSnapshot.ClientView kept : restored) {
      ClientView view = new ClientView();
      view.lastOwnVersion = kept.lastOwnVersion();
      view.rebased.putAll(kept.rebased());
      views.put(kept.client(), view);
    }
  }

  /** How many clients have a view kept, for tests and metrics. */
  int clients() {
    return views.size();
  }
}

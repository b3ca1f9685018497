package io.tributary.core.state;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.transform.Transformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A client's copy of a dataset: its objects, and its own changesets that the server has not
 * integrated yet (pending). The client-side half of the sync algorithm, without any I/O.
 *
 * <p>A changeset from the server was integrated before every pending one, so it is transformed
 * against them before it is applied; and each pending changeset is transformed against it, as the
 * server will do when it integrates them. Keeping pending transformed is what lets the next
 * changeset from the server see which of the client's changes are already overruled.
 */
public final class LocalReplica {

  private final MutableObjectStore store;
  private final List<Changeset> pending = new ArrayList<>();

  /** Pending changesets added or rewritten since {@link #drainChanges}, by client version. */
  private final Map<Long, Changeset> changed = new HashMap<>();

  /** Client versions no longer pending since {@link #drainChanges}. */
  private final List<Long> removed = new ArrayList<>();

  /**
   * What happened to the pending changesets since the last call: for a store that keeps them, so
   * that it writes only that and not all of them every time.
   */
  public record PendingChanges(List<Changeset> written, List<Long> removed) {}

  private long serverVersion;

  public LocalReplica(MutableObjectStore store) {
    this(store, List.of(), 0);
  }

  /** A replica as it was persisted: its objects, its pending changesets, its server version. */
  public LocalReplica(MutableObjectStore store, List<Changeset> pending, long serverVersion) {
    this.store = store;
    this.pending.addAll(pending);
    this.serverVersion = serverVersion;
  }

  /**
   * The changes of a new local transaction with their sync precedence. {@code objectPrecedence}
   * gives each object's precedence (its SYNC_PRECEDENCE property once the transaction is done, 0
   * without one). A change never stands lower than this client's earlier changes of the same
   * property that the server has not integrated yet: a later change must not weaken an earlier one
   * against a concurrent change, or replicas that meet them in different orders could disagree.
   */
  public List<Instruction> stamp(
      List<Instruction> instructions, ToLongFunction<ObjectKey> objectPrecedence) {
    Map<String, Long> standing = new HashMap<>();
    for (Changeset changeset : pending) {
      for (Instruction instruction : changeset.instructions()) {
        noteStanding(standing, instruction, precedenceOf(instruction));
      }
    }
    List<Instruction> stamped = new ArrayList<>(instructions.size());
    for (Instruction instruction : instructions) {
      if (instruction instanceof Update || instruction instanceof AddInteger) {
        long precedence =
            Math.max(
                objectPrecedence.applyAsLong(instruction.object()),
                standing.getOrDefault(propertyKey(instruction), 0L));
        noteStanding(standing, instruction, precedence);
        stamped.add(withPrecedence(instruction, precedence));
      } else {
        stamped.add(instruction);
      }
    }
    return stamped;
  }

  private static void noteStanding(
      Map<String, Long> standing, Instruction instruction, long precedence) {
    if (instruction instanceof Update || instruction instanceof AddInteger) {
      standing.merge(propertyKey(instruction), precedence, Math::max);
    }
  }

  private static long precedenceOf(Instruction instruction) {
    if (instruction instanceof Update update) {
      return update.precedence();
    }
    return instruction instanceof AddInteger add ? add.precedence() : 0;
  }

  private static Instruction withPrecedence(Instruction instruction, long precedence) {
    return instruction instanceof Update update
        ? update.withPrecedence(precedence)
        : ((AddInteger) instruction).withPrecedence(precedence);
  }

  private static String propertyKey(Instruction instruction) {
    String property =
        instruction instanceof Update update
            ? update.property()
            : ((AddInteger) instruction).property();
    return instruction.object().entity()
        + "\u0000"
        + instruction.object().id()
        + "\u0000"
        + property;
  }

  /** A local transaction: applied now, pending until the server acknowledges it. */
  public void applyLocal(Changeset changeset) {
    ChangesetApplier.apply(changeset, store);
    pending.add(changeset);
    changed.put(changeset.clientVersion(), changeset);
  }

  /** A changeset of another client, at {@code version} of the server's history. */
  public void applyRemote(long version, Changeset changeset) {
    Transformer.Merged merged = Transformer.merge(changeset, pending);
    ChangesetApplier.apply(merged.incoming(), store);
    for (int i = 0; i < pending.size(); i++) {
      // Rebased: the server must not transform it against this remote change a second time.
      Changeset rebased = merged.concurrent().get(i).withBaseVersion(version);
      pending.set(i, rebased);
      changed.put(rebased.clientVersion(), rebased);
    }
    serverVersion = Math.max(serverVersion, version);
  }

  public PendingChanges drainChanges() {
    PendingChanges changes =
        new PendingChanges(List.copyOf(changed.values()), List.copyOf(removed));
    changed.clear();
    removed.clear();
    return changes;
  }

  /**
   * Applies the pending changesets again, on objects that were replaced (by a STATE transfer): they
   * are not in the server's state yet, and the local copy must still show them. What no longer
   * finds its object there (erased meanwhile) is dropped from them, here and in what is uploaded:
   * made on the state, such an instruction would do nothing on the server but something at a client
   * that holds a pending create of that object.
   */
  public void reapplyPending() {
    for (int i = 0; i < pending.size(); i++) {
      Changeset effective = ChangesetApplier.applyEffective(pending.get(i), store);
      if (effective != pending.get(i)) {
        pending.set(i, effective);
        changed.put(effective.clientVersion(), effective);
      }
    }
  }

  /**
   * Starts over at server version 0, for a client that must reset: its pending changesets are kept
   * (to be applied again on the server's state and uploaded) or dropped.
   */
  public void reset(boolean keepPending) {
    if (!keepPending) {
      pending.forEach(changeset -> removed.add(changeset.clientVersion()));
      changed.clear();
      pending.clear();
    }
    // Kept changesets go out under the client file ident that comes next (assignOrigin).
    pending.replaceAll(
        changeset ->
            new Changeset(
                changeset.clientVersion(), 0, changeset.timestamp(), 0, changeset.instructions()));
    pending.forEach(changeset -> changed.put(changeset.clientVersion(), changeset));
    serverVersion = 0;
  }

  /**
   * Puts the pending changesets on a STATE at server {@code version}: they now stand after it, for
   * the server as for this copy. Written on an older version (before or during the transfer, or
   * kept over a reset), they would otherwise be applied here as they are on the state, while the
   * server transforms them against the history between their base and {@code version}, which the
   * state holds only as a result: the two copies would differ (an erase that the state already
   * holds would not win over a pending create, for one). Call after {@link #acknowledge}.
   */
  public void rebaseOnto(long version) {
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).baseVersion() < version) {
        Changeset rebased = pending.get(i).withBaseVersion(version);
        pending.set(i, rebased);
        changed.put(rebased.clientVersion(), rebased);
      }
    }
  }

  /** The server has integrated this client's changesets up to {@code clientVersion}. */
  public void acknowledge(long clientVersion, long version) {
    int done = 0;
    while (done < pending.size() && pending.get(done).clientVersion() <= clientVersion) {
      long acknowledged = pending.get(done++).clientVersion();
      changed.remove(acknowledged);
      removed.add(acknowledged);
    }
    pending.subList(0, done).clear();
    serverVersion = Math.max(serverVersion, version);
  }

  /**
   * Takes a pending changeset out, for good: the server refused it. The objects still show it until
   * they are rebuilt (from a STATE, with the other pending changesets applied again); and this copy
   * no longer claims a server version, so that nothing is built on the old objects.
   */
  public Changeset discard(long clientVersion) {
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).clientVersion() == clientVersion) {
        Changeset discarded = pending.remove(i);
        changed.remove(clientVersion);
        removed.add(clientVersion);
        serverVersion = 0;
        return discarded;
      }
    }
    throw new IllegalArgumentException("no pending changeset with client version " + clientVersion);
  }

  /** Stamps pending changesets made before the client had its ident. */
  public void assignOrigin(long ident) {
    pending.replaceAll(
        changeset ->
            changeset.originIdent() != 0
                ? changeset
                : new Changeset(
                    changeset.clientVersion(),
                    changeset.baseVersion(),
                    changeset.timestamp(),
                    ident,
                    changeset.instructions()));
    pending.stream()
        .filter(changeset -> changeset.originIdent() == ident)
        .forEach(changeset -> changed.put(changeset.clientVersion(), changeset));
  }

  public int pendingCount() {
    return pending.size();
  }

  public List<Changeset> pending() {
    return List.copyOf(pending);
  }

  public long serverVersion() {
    return serverVersion;
  }
}

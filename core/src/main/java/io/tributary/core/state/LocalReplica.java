package io.tributary.core.state;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.transform.Transformer;
import java.util.ArrayList;
import java.util.List;

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
  private long serverVersion;

  public LocalReplica(MutableObjectStore store) {
    this.store = store;
  }

  /** A local transaction: applied now, pending until the server acknowledges it. */
  public void applyLocal(Changeset changeset) {
    ChangesetApplier.apply(changeset, store);
    pending.add(changeset);
  }

  /** A changeset of another client, at {@code version} of the server's history. */
  public void applyRemote(long version, Changeset changeset) {
    ChangesetApplier.apply(Transformer.transform(changeset, pending), store);
    List<Changeset> transformed = new ArrayList<>(pending.size() + 1);
    transformed.add(changeset);
    for (int i = 0; i < pending.size(); i++) {
      // Against the remote change; earlier pending ones only tell what this client erased since.
      // Rebased: the server must not transform it against this remote change a second time.
      pending.set(i, Transformer.transform(pending.get(i), transformed).withBaseVersion(version));
      transformed.add(pending.get(i));
    }
    serverVersion = Math.max(serverVersion, version);
  }

  /** The server has integrated this client's changesets up to {@code clientVersion}. */
  public void acknowledge(long clientVersion, long version) {
    pending.removeIf(changeset -> changeset.clientVersion() <= clientVersion);
    serverVersion = Math.max(serverVersion, version);
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
  }

  public List<Changeset> pending() {
    return List.copyOf(pending);
  }

  public long serverVersion() {
    return serverVersion;
  }
}

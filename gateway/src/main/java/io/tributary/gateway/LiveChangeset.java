package io.tributary.gateway;

import io.tributary.core.model.Renames;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.codec.Bodies;

/**
 * An integrated changeset as the materializer published it, with its version's salt and the bytes
 * of history up to it: one object for every session of the gateway that delivers it.
 */
final class LiveChangeset implements WireItem {

  private final Integrated integrated;
  private final Renames renames;
  private final long salt;
  private final long historyBytes;

  /** Encoded on first use, then shared by every session that sends it. */
  private volatile ChangesetBody body;

  LiveChangeset(Integrated integrated, long salt, long historyBytes, Renames renames) {
    this.integrated = integrated;
    this.renames = renames;
    this.salt = salt;
    this.historyBytes = historyBytes;
  }

  @Override
  public long version() {
    return integrated.version();
  }

  @Override
  public long salt() {
    return salt;
  }

  @Override
  public long historyBytes() {
    return historyBytes;
  }

  @Override
  public long originIdent() {
    return integrated.changeset().originIdent();
  }

  @Override
  public long clientVersion() {
    return integrated.changeset().clientVersion();
  }

  /** Encoded (and compressed) once, not per session. */
  @Override
  public ChangesetBody body() {
    ChangesetBody encoded = body;
    if (encoded == null) {
      encoded = Bodies.encode(renames.toCurrent(integrated.changeset()));
      body = encoded; // A race encodes twice, harmlessly: the bodies are equal.
    }
    return encoded;
  }
}

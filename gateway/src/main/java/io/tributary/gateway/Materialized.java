package io.tributary.gateway;

import io.tributary.core.model.Renames;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.codec.Bodies;

/**
 * An integrated changeset as the materializer published it: with its version's salt and the bytes
 * of history up to it.
 */
final class Materialized {

  private final Integrated integrated;
  private final Renames renames;
  private final long salt;
  private final long historyBytes;

  /** Encoded on first use, then shared by every session that sends it. */
  private volatile ChangesetBody body;

  Materialized(Integrated integrated, long salt, long historyBytes, Renames renames) {
    this.renames = renames;
    this.integrated = integrated;
    this.salt = salt;
    this.historyBytes = historyBytes;
  }

  Integrated integrated() {
    return integrated;
  }

  long salt() {
    return salt;
  }

  long historyBytes() {
    return historyBytes;
  }

  long version() {
    return integrated.version();
  }

  /**
   * The changeset as it travels in a DOWNLOAD, in the current model's names: encoded (and
   * compressed) once, not per session.
   */
  ChangesetBody body() {
    ChangesetBody encoded = body;
    if (encoded == null) {
      encoded = Bodies.encode(renames.toCurrent(integrated.changeset()));
      body = encoded; // A race encodes twice, harmlessly: the bodies are equal.
    }
    return encoded;
  }
}

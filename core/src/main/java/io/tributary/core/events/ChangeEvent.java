package io.tributary.core.events;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What an integrated changeset did to one object, for systems outside Tributary: one event per
 * object a changeset touched. Keyed by dataset, entity and id; a consumer deduplicates by key and
 * server version, as replaying history yields the same events again.
 *
 * @param before the object's properties before the changeset; empty if it did not exist
 * @param after its properties after it; empty if it was erased
 * @param changed the properties the changeset set, added to or edited (all of them on a create)
 * @param timestamp the changeset's timestamp (milliseconds since the epoch, the client's clock)
 * @param originIdent the client file the changeset came from
 */
public record ChangeEvent(
    String dataset,
    ObjectKey key,
    Operation operation,
    Optional<SortedMap<String, Value>> before,
    Optional<SortedMap<String, Value>> after,
    SortedSet<String> changed,
    long serverVersion,
    long timestamp,
    long originIdent) {

  /** What happened to the object. */
  public enum Operation {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    /**
     * Not a change: the object's state published again, as it is (after a rename, so that a copy
     * kept under the old names gets the new ones). Debezium calls this a snapshot read.
     */
    SNAPSHOT("r");

    private final String code;

    Operation(String code) {
      this.code = code;
    }

    /** The one-letter code change-data-capture envelopes use (Debezium's {@code op}). */
    public String code() {
      return code;
    }
  }
}

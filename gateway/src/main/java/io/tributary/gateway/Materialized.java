package io.tributary.gateway;

import io.tributary.core.sequencing.HistoryEvent.Integrated;

/**
 * An integrated changeset as the materializer published it: with its version's salt and the bytes
 * of history up to it.
 */
record Materialized(Integrated integrated, long salt, long historyBytes) {

  long version() {
    return integrated.version();
  }
}

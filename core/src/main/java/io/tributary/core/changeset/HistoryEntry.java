package io.tributary.core.changeset;

/** A changeset as integrated into a dataset's history, at its server version. */
public record HistoryEntry(long version, Changeset changeset) {}

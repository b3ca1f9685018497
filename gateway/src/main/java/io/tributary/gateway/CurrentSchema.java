package io.tributary.gateway;

import io.tributary.core.model.ChangesetValidator;

/**
 * The schema version a gateway validates and translates with. It changes while the gateway runs
 * when another gateway of the cluster inserts a newer version; stored names never change, so
 * changesets handled before and after the switch fit together.
 */
final class CurrentSchema {

  /** A version and its validator: one message is checked and translated by one snapshot. */
  record Snapshot(SchemaVersions.Version version, ChangesetValidator validator) {}

  private volatile Snapshot snapshot;

  CurrentSchema(SchemaVersions.Version version) {
    snapshot = new Snapshot(version, new ChangesetValidator(version.model()));
  }

  Snapshot snapshot() {
    return snapshot;
  }

  SchemaVersions.Version version() {
    return snapshot.version();
  }

  int number() {
    return snapshot.version().number();
  }

  io.tributary.core.model.Renames renames() {
    return snapshot.version().renames();
  }

  /** Switches to {@code version} if it is newer than the current one. */
  synchronized boolean adopt(SchemaVersions.Version version) {
    if (version.number() <= snapshot.version().number()) {
      return false;
    }
    snapshot = new Snapshot(version, new ChangesetValidator(version.model()));
    return true;
  }
}

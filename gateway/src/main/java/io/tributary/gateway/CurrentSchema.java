package io.tributary.gateway;

import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Renames;
import io.tributary.core.session.UploadSchema;
import io.tributary.kafka.SchemaVersions;

/**
 * The schema version a gateway validates and translates with. It changes while the gateway runs
 * when another gateway of the cluster inserts a newer version; stored names never change, so
 * changesets handled before and after the switch fit together.
 */
final class CurrentSchema {

  /** A version, and what one message is checked and translated by. */
  record Snapshot(SchemaVersions.Version version, UploadSchema upload) {
    Snapshot(SchemaVersions.Version version) {
      this(version, new UploadSchema(new ChangesetValidator(version.model()), version.renames()));
    }
  }

  private volatile Snapshot snapshot;

  CurrentSchema(SchemaVersions.Version version) {
    snapshot = new Snapshot(version);
  }

  /** The version now and what it checks by: one message is read with one snapshot. */
  Snapshot snapshot() {
    return snapshot;
  }

  /** What an upload is checked and translated by now. */
  UploadSchema upload() {
    return snapshot.upload();
  }

  SchemaVersions.Version version() {
    return snapshot.version();
  }

  int number() {
    return snapshot.version().number();
  }

  Renames renames() {
    return snapshot.version().renames();
  }

  /** Switches to {@code version} if it is newer than the current one. */
  synchronized boolean adopt(SchemaVersions.Version version) {
    if (version.number() <= snapshot.version().number()) {
      return false;
    }
    snapshot = new Snapshot(version);
    return true;
  }
}

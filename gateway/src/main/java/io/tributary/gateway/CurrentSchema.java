package io.tributary.gateway;

import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Model;
import io.tributary.core.model.Renames;

/**
 * The schema version a gateway validates and translates with. It changes while the gateway runs
 * when another gateway of the cluster inserts a newer version; stored names never change, so
 * changesets handled before and after the switch fit together.
 */
final class CurrentSchema {

  private record Snapshot(int number, ChangesetValidator validator, Renames renames) {}

  private volatile Snapshot snapshot;

  CurrentSchema(int number, Model model, Renames renames) {
    snapshot = new Snapshot(number, new ChangesetValidator(model), renames);
  }

  int number() {
    return snapshot.number();
  }

  ChangesetValidator validator() {
    return snapshot.validator();
  }

  Renames renames() {
    return snapshot.renames();
  }

  /** Switches to {@code version} if it is newer than the current one. */
  synchronized boolean adopt(SchemaVersions.Version version) {
    if (version.number() <= snapshot.number()) {
      return false;
    }
    snapshot =
        new Snapshot(version.number(), new ChangesetValidator(version.model()), version.renames());
    return true;
  }
}

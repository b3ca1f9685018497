package io.tributary.core.state;

import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;

/** Applies accepted history events to a materialized dataset. */
public final class HistoryApplier {

  private HistoryApplier() {}

  public static void apply(HistoryEvent event, MaterializedDataset dataset) {
    if (event instanceof Integrated integrated) {
      ChangesetApplier.apply(integrated.changeset(), dataset);
      dataset.appendHistory(new HistoryEntry(integrated.version(), integrated.changeset()));
      long origin = integrated.changeset().originIdent();
      dataset
          .client(origin)
          .ifPresent(
              client ->
                  dataset.putClient(
                      client.withLastIntegratedVersion(integrated.changeset().clientVersion())));
    } else if (event instanceof IdentAllocated allocated) {
      dataset.putClient(new ClientFile(allocated.ident(), allocated.salt(), 0));
    }
    // An UploadRejected or a TransactDecided changes no state: they are only replies.
  }
}

package io.tributary.core.state;

import io.tributary.core.changeset.HistoryEntry;
import java.util.Optional;

/** The materialized state of one dataset: its objects, its history and its client files. */
public interface MaterializedDataset extends MutableObjectStore {

  /** Records an integrated changeset; its version becomes the dataset's head. */
  void appendHistory(HistoryEntry entry);

  Optional<ClientFile> client(long ident);

  void putClient(ClientFile client);
}

package io.tributary.gateway;

import io.tributary.core.session.HistoryItem;
import io.tributary.schemas.ChangesetBody;

/** A history item as the gateway has it: one whose changeset it can put in a DOWNLOAD. */
interface WireItem extends HistoryItem {

  /** The changeset as it travels in a DOWNLOAD, in the current model's names. */
  ChangesetBody body();
}

package io.tributary.gateway;

import io.tributary.core.model.Renames;
import io.tributary.schemas.CatchUpEntry;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.codec.Bodies;
import io.tributary.schemas.codec.ChangesetCodec;
import java.util.function.Supplier;

/** An entry of a catch-up page, as the materializer's read API sent it. */
final class CatchUpItem implements WireItem {

  private final CatchUpEntry entry;
  private final Supplier<Renames> renames;

  CatchUpItem(CatchUpEntry entry, Supplier<Renames> renames) {
    this.entry = entry;
    this.renames = renames;
  }

  @Override
  public long version() {
    return entry.getServerVersion();
  }

  @Override
  public long salt() {
    return entry.getSalt();
  }

  @Override
  public long historyBytes() {
    return entry.getHistoryBytes();
  }

  @Override
  public long originIdent() {
    return entry.getChangeset().getOriginIdent();
  }

  @Override
  public long clientVersion() {
    return entry.getChangeset().getClientVersion();
  }

  @Override
  public ChangesetBody body() {
    return Bodies.encode(renames.get().toCurrent(ChangesetCodec.fromAvro(entry.getChangeset())));
  }
}

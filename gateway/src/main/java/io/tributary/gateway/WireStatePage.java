package io.tributary.gateway;

import io.tributary.schemas.StatePage;

/** A page of a dataset's state as the materializer's read API sent it. */
record WireStatePage(StatePage page) implements io.tributary.core.session.StatePage {

  @Override
  public long serverVersion() {
    return page.getServerVersion();
  }

  @Override
  public long salt() {
    return page.getServerVersionSalt();
  }

  @Override
  public long uploadProgress() {
    return page.getUploadProgress();
  }

  @Override
  public boolean last() {
    return page.getNext() == null;
  }
}

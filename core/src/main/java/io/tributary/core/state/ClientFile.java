package io.tributary.core.state;

/**
 * What the server knows of one client file of a dataset.
 *
 * @param lastIntegratedVersion the client version of its last changeset in history (0 if none)
 */
public record ClientFile(long ident, long salt, long lastIntegratedVersion) {

  public ClientFile withLastIntegratedVersion(long version) {
    return new ClientFile(ident, salt, version);
  }
}

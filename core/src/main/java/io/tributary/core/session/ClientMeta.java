package io.tributary.core.session;

import java.nio.ByteBuffer;

/**
 * Where a client file stands, kept with its objects and pending changesets.
 *
 * @param clientIdent the client file ident the server allocated, 0 before
 * @param salt the salt that comes with it
 * @param serverVersion the last server version integrated
 * @param serverVersionSalt that version's salt, proof of which history the copy follows
 * @param acknowledgedClientVersion this client's last changeset the server acknowledged
 * @param lastClientVersion the last client version a local transaction produced
 * @param clock the hybrid logical clock's last timestamp
 * @param needsState whether the copy must be rebuilt from a STATE before it syncs again: a
 *     changeset the server refused was taken out of it
 */
public record ClientMeta(
    long clientIdent,
    long salt,
    long serverVersion,
    long serverVersionSalt,
    long acknowledgedClientVersion,
    long lastClientVersion,
    long clock,
    boolean needsState) {

  public static final ClientMeta NEW = new ClientMeta(0, 0, 0, 0, 0, 0, 0, false);

  private static final int BYTES = 64;

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES)
        .putLong(clientIdent)
        .putLong(salt)
        .putLong(serverVersion)
        .putLong(serverVersionSalt)
        .putLong(acknowledgedClientVersion)
        .putLong(lastClientVersion)
        .putLong(clock)
        .putLong(needsState ? 1 : 0)
        .array();
  }

  /** The meta of {@link #toBytes}, or of the 56 bytes written before {@code needsState} existed. */
  public static ClientMeta of(byte[] bytes) {
    if (bytes == null) {
      return NEW;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new ClientMeta(
        buffer.getLong(),
        buffer.getLong(),
        buffer.getLong(),
        buffer.getLong(),
        buffer.getLong(),
        buffer.getLong(),
        buffer.getLong(),
        buffer.remaining() >= Long.BYTES && buffer.getLong() != 0);
  }

  public ClientMeta withIdent(long ident, long newSalt) {
    return new ClientMeta(
        ident,
        newSalt,
        serverVersion,
        serverVersionSalt,
        acknowledgedClientVersion,
        lastClientVersion,
        clock,
        needsState);
  }

  public ClientMeta withServer(long version, long versionSalt, long acknowledged) {
    return new ClientMeta(
        clientIdent,
        salt,
        version,
        versionSalt,
        Math.max(acknowledgedClientVersion, acknowledged),
        lastClientVersion,
        clock,
        needsState);
  }

  public ClientMeta withLocal(long clientVersion, long timestamp) {
    return new ClientMeta(
        clientIdent,
        salt,
        serverVersion,
        serverVersionSalt,
        acknowledgedClientVersion,
        clientVersion,
        Math.max(clock, timestamp),
        needsState);
  }

  public ClientMeta withNeedsState(boolean needed) {
    return new ClientMeta(
        clientIdent,
        salt,
        serverVersion,
        serverVersionSalt,
        acknowledgedClientVersion,
        lastClientVersion,
        clock,
        needed);
  }

  /** A new client file, keeping what must never go back: client versions and the clock. */
  public ClientMeta startedOver() {
    return new ClientMeta(0, 0, 0, 0, 0, lastClientVersion, clock, false);
  }
}

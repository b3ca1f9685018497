package io.tributary.client;

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
 */
record ClientMeta(
    long clientIdent,
    long salt,
    long serverVersion,
    long serverVersionSalt,
    long acknowledgedClientVersion,
    long lastClientVersion,
    long clock) {

  static final ClientMeta NEW = new ClientMeta(0, 0, 0, 0, 0, 0, 0);

  byte[] toBytes() {
    return ByteBuffer.allocate(56)
        .putLong(clientIdent)
        .putLong(salt)
        .putLong(serverVersion)
        .putLong(serverVersionSalt)
        .putLong(acknowledgedClientVersion)
        .putLong(lastClientVersion)
        .putLong(clock)
        .array();
  }

  static ClientMeta of(byte[] bytes) {
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
        buffer.getLong());
  }

  ClientMeta withIdent(long ident, long newSalt) {
    return new ClientMeta(
        ident,
        newSalt,
        serverVersion,
        serverVersionSalt,
        acknowledgedClientVersion,
        lastClientVersion,
        clock);
  }

  ClientMeta withServer(long version, long versionSalt, long acknowledged) {
    return new ClientMeta(
        clientIdent,
        salt,
        version,
        versionSalt,
        Math.max(acknowledgedClientVersion, acknowledged),
        lastClientVersion,
        clock);
  }

  ClientMeta withLocal(long clientVersion, long timestamp) {
    return new ClientMeta(
        clientIdent,
        salt,
        serverVersion,
        serverVersionSalt,
        acknowledgedClientVersion,
        clientVersion,
        Math.max(clock, timestamp));
  }
}

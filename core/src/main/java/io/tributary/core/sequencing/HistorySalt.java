package io.tributary.core.sequencing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The salt of each server version: a hash chain over the history, so that a salt names the whole
 * history up to its version. A client presents the salt of the version it has downloaded; if the
 * server's history at that version is different (a server restored from an old backup, a dataset
 * recreated), the salts differ and the client is told to reset instead of silently diverging.
 */
public final class HistorySalt {

  /** The salt of version 0, the empty history. */
  public static final long EMPTY = 0;

  private HistorySalt() {}

  /** The salt of {@code version}, whose encoded changeset is {@code changeset}. */
  public static long next(long previous, long version, byte[] changeset) {
    MessageDigest sha256 = sha256();
    sha256.update(ByteBuffer.allocate(16).putLong(previous).putLong(version).array());
    sha256.update(changeset);
    long salt = ByteBuffer.wrap(sha256.digest()).getLong() & Long.MAX_VALUE;
    return salt == EMPTY ? 1 : salt;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

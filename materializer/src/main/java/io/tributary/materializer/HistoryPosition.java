package io.tributary.materializer;

import java.nio.ByteBuffer;

/**
 * Where a dataset's history stands at a version: the version's salt ({@link
 * io.tributary.core.sequencing.HistorySalt}) and the bytes of history up to it, for progress.
 */
public record HistoryPosition(long version, long salt, long historyBytes) {

  static final HistoryPosition EMPTY = new HistoryPosition(0, 0, 0);

  /** The head record: version, salt, bytes. */
  byte[] toBytes() {
    return ByteBuffer.allocate(24).putLong(version).putLong(salt).putLong(historyBytes).array();
  }

  static HistoryPosition of(byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new HistoryPosition(buffer.getLong(), buffer.getLong(), buffer.getLong());
  }

  /** A history entry's value: salt and bytes, then the encoded changeset. */
  byte[] entryValue(byte[] changeset) {
    return ByteBuffer.allocate(16 + changeset.length)
        .putLong(salt)
        .putLong(historyBytes)
        .put(changeset)
        .array();
  }

  /** The position stored in a history entry's value, at {@code version}. */
  static HistoryPosition ofEntry(long version, byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value);
    return new HistoryPosition(version, buffer.getLong(), buffer.getLong());
  }

  /** The encoded changeset in a history entry's value. */
  static byte[] changesetOf(byte[] value) {
    byte[] changeset = new byte[value.length - 16];
    System.arraycopy(value, 16, changeset, 0, changeset.length);
    return changeset;
  }
}

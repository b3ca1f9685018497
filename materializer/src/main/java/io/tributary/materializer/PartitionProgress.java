package io.tributary.materializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How far the materializer has applied one history partition, and the fence state at that point:
 * both are written in the same batch as the state derived from the records before {@code
 * nextOffset}.
 */
record PartitionProgress(long nextOffset, long epoch, String token) {

  static final PartitionProgress START = new PartitionProgress(0, 0, null);

  byte[] encode() {
    byte[] tokenBytes = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(16 + tokenBytes.length)
        .putLong(nextOffset)
        .putLong(epoch)
        .put(tokenBytes)
        .array();
  }

  static PartitionProgress decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long offset = buffer.getLong();
    long epoch = buffer.getLong();
    String token =
        buffer.hasRemaining()
            ? new String(bytes, 16, bytes.length - 16, StandardCharsets.UTF_8)
            : null;
    return new PartitionProgress(offset, epoch, token);
  }
}

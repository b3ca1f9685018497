package io.tributary.materializer;

import io.tributary.core.changeset.Value;
import io.tributary.core.state.ClientFile;
import io.tributary.schemas.codec.AvroTrust;
import io.tributary.schemas.codec.ObjectCodec;
import java.nio.ByteBuffer;
import java.util.SortedMap;

/** Value encodings of the store. Deterministic: equal states give equal bytes. */
final class StoredValues {

  static {
    AvroTrust.ensure();
  }

  private StoredValues() {}

  static byte[] object(SortedMap<String, Value> properties) {
    return ObjectCodec.encode(properties);
  }

  static SortedMap<String, Value> object(byte[] bytes) {
    return ObjectCodec.decode(bytes);
  }

  static byte[] client(ClientFile client) {
    return ByteBuffer.allocate(16)
        .putLong(client.salt())
        .putLong(client.lastIntegratedVersion())
        .array();
  }

  static ClientFile client(long ident, byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new ClientFile(ident, buffer.getLong(), buffer.getLong());
  }

  static byte[] longValue(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long longValue(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  static byte[] toBytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}

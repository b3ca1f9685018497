package io.tributary.materializer;

import io.tributary.core.changeset.Value;
import io.tributary.core.state.ClientFile;
import io.tributary.schemas.StoredObject;
import io.tributary.schemas.StoredProperty;
import io.tributary.schemas.codec.AvroTrust;
import io.tributary.schemas.codec.ChangesetCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Value encodings of the store. Deterministic: equal states give equal bytes. */
final class StoredValues {

  static {
    AvroTrust.ensure();
  }

  private StoredValues() {}

  static byte[] object(SortedMap<String, Value> properties) {
    List<StoredProperty> stored = new ArrayList<>(properties.size());
    for (Map.Entry<String, Value> property : properties.entrySet()) {
      stored.add(new StoredProperty(property.getKey(), ChangesetCodec.toAvro(property.getValue())));
    }
    try {
      return toBytes(StoredObject.getEncoder().encode(new StoredObject(stored)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SortedMap<String, Value> object(byte[] bytes) {
    SortedMap<String, Value> properties = new TreeMap<>();
    try {
      for (StoredProperty property : StoredObject.getDecoder().decode(bytes).getProperties()) {
        properties.put(property.getName(), ChangesetCodec.valueFromAvro(property.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
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

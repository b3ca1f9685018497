package io.tributary.schemas.codec;

import io.tributary.core.changeset.Value;
import io.tributary.schemas.StoredObject;
import io.tributary.schemas.StoredProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An object's properties as stored, by the materializer and by clients: a {@link StoredObject} in
 * single-object encoding. Deterministic: equal objects give equal bytes.
 */
public final class ObjectCodec {

  static {
    AvroTrust.ensure();
  }

  private ObjectCodec() {}

  public static byte[] encode(SortedMap<String, Value> properties) {
    List<StoredProperty> stored = new ArrayList<>(properties.size());
    for (Map.Entry<String, Value> property : properties.entrySet()) {
      stored.add(new StoredProperty(property.getKey(), ChangesetCodec.toAvro(property.getValue())));
    }
    try {
      return RecordCodec.bytes(StoredObject.getEncoder().encode(new StoredObject(stored)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SortedMap<String, Value> decode(byte[] bytes) {
    try {
      return properties(StoredObject.getDecoder().decode(bytes).getProperties());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The properties of an object received in STATE. */
  public static SortedMap<String, Value> properties(List<StoredProperty> stored) {
    SortedMap<String, Value> properties = new TreeMap<>();
    for (StoredProperty property : stored) {
      properties.put(property.getName(), ChangesetCodec.valueFromAvro(property.getValue()));
    }
    return properties;
  }
}

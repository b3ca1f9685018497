package io.tributary.materializer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Kafka Connect's JSON with schemas ({@code {"schema": ..., "payload": ...}}), as its {@link
 * JsonConverter} writes it, but streamed: the schema part is the converter's own, serialized once
 * per schema, and the payload is written field by field. The converter builds a tree of the whole
 * record, schema included, for every record: most of a change event's cost (docs/benchmarks.md).
 * Read back by the stock converter in {@code ChangeEventRecordsTest}.
 */
final class ConnectJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A schema and its JSON, serialized once. */
  record Described(Schema schema, String json) {}

  private ConnectJson() {}

  /** {@code schema} with the JSON the converter gives it. */
  static Described describe(Schema schema) {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true", "converter.type", "value"), false);
    try {
      return new Described(schema, MAPPER.writeValueAsString(converter.asJsonSchema(schema)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record: {@code {"schema": <described>, "payload": <value>}}. */
  static byte[] write(Described described, Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(described.json().length() + 512);
    try (JsonGenerator json = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeFieldName("schema");
      json.writeRawValue(described.json());
      json.writeFieldName("payload");
      value(json, described.schema(), value);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void value(JsonGenerator json, Schema schema, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
      return;
    }
    switch (schema.type()) {
      case STRUCT -> {
        Struct struct = (Struct) value;
        json.writeStartObject();
        for (Field field : schema.fields()) {
          json.writeFieldName(field.name());
          value(json, field.schema(), struct.get(field));
        }
        json.writeEndObject();
      }
      case ARRAY -> {
        json.writeStartArray();
        for (Object element : (List<?>) value) {
          value(json, schema.valueSchema(), element);
        }
        json.writeEndArray();
      }
      case STRING -> json.writeString((String) value);
      case INT64 -> json.writeNumber((Long) value);
      case FLOAT64 -> json.writeNumber((Double) value);
      case BOOLEAN -> json.writeBoolean((Boolean) value);
      case BYTES ->
          json.writeBinary(
              value instanceof ByteBuffer buffer
                  ? StoredValues.toBytes(buffer.duplicate())
                  : (byte[]) value);
      default -> throw new IllegalArgumentException("no JSON for a " + schema.type() + " field");
    }
  }
}

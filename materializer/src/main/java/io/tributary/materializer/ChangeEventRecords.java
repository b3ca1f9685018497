package io.tributary.materializer;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.events.ChangeEvent;
import io.tributary.core.model.Entity;
import io.tributary.core.model.Model;
import io.tributary.core.model.Property;
import io.tributary.core.model.Relation;
import io.tributary.core.model.Renames;
import io.tributary.core.model.ValueKind;
import io.tributary.kafka.SchemaVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Change events as Kafka Connect records in Debezium's change-event envelope ({@code before},
 * {@code after}, {@code source}, {@code op}, {@code ts_ms}), written by Connect's own {@link
 * JsonConverter} with schemas: what stock sink connectors read, Debezium's JDBC sink among them
 * (one table per entity with {@code collection.name.format=${source.entity}}).
 *
 * <p>The object's state has every property of its entity in the current model (a missing one is
 * null, so that a sink clears it) under its current name; the key is the dataset, the entity and
 * the id.
 */
public final class ChangeEventRecords {

  /** The key and value of one record, as JSON bytes. */
  public record Encoded(byte[] key, byte[] value) {}

  static final Schema KEY =
      SchemaBuilder.struct()
          .name("io.tributary.Key")
          .field("dataset", Schema.STRING_SCHEMA)
          .field("entity", Schema.STRING_SCHEMA)
          .field("id", Schema.INT64_SCHEMA)
          .build();

  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.tributary.Source")
          .field("dataset", Schema.STRING_SCHEMA)
          .field("entity", Schema.STRING_SCHEMA)
          .field("version", Schema.INT64_SCHEMA)
          .field("origin", Schema.INT64_SCHEMA)
          .field("changed", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .build();

  private final int schemaVersion;
  private final Model model;
  private final Renames renames;
  private final String topic;
  private final JsonConverter keys = converter(true);
  private final JsonConverter values = converter(false);
  private final JsonConverter payloads = payloadConverter();
  private final Map<String, ConnectJson.Described> envelopes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final ConnectJson.Described KEY_JSON = ConnectJson.describe(KEY);

  /**
   * @param schema the schema version whose model gives the records' schemas, and whose renames turn
   *     the names history stores under into current ones
   * @param topic the topic the records go to (the converter may name schemas after it)
   */
  public ChangeEventRecords(SchemaVersions.Version schema, String topic) {
    this.schemaVersion = schema.number();
    this.model = schema.model();
    this.renames = schema.renames();
    this.topic = topic;
  }

  /** The number of the schema version whose names the records have. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * The record of {@code event}, whose names are those history stores.
   *
   * @throws IllegalArgumentException if the model has no longer the event's entity
   */
  public Encoded encode(ChangeEvent event) {
    String entityName = currentEntity(event);
    ConnectJson.Described envelope = envelopeOf(entityName);
    return new Encoded(
        ConnectJson.write(KEY_JSON, key(event, entityName)),
        ConnectJson.write(envelope, value(event, entityName, envelope.schema())));
  }

  /**
   * The same record as Connect's own converter writes it: the reference {@link #encode} keeps to.
   */
  Encoded encodeWithConverter(ChangeEvent event) {
    String entityName = currentEntity(event);
    Schema envelope = envelopeOf(entityName).schema();
    return new Encoded(
        keys.fromConnectData(topic, KEY, key(event, entityName)),
        values.fromConnectData(topic, envelope, value(event, entityName, envelope)));
  }

  private ConnectJson.Described envelopeOf(String entityName) {
    Entity entity =
        model
            .entity(entityName)
            .orElseThrow(() -> new IllegalArgumentException("no entity " + entityName));
    return envelopes.computeIfAbsent(entityName, name -> ConnectJson.describe(envelope(entity)));
  }

  private Struct value(ChangeEvent event, String entityName, Schema envelope) {
    Schema state = envelope.field("after").schema();
    Struct source =
        new Struct(SOURCE)
            .put("dataset", event.dataset())
            .put("entity", entityName)
            .put("version", event.serverVersion())
            .put("origin", event.originIdent())
            .put("changed", currentNames(event.key().entity(), List.copyOf(event.changed())));
    return new Struct(envelope)
        .put("before", event.before().map(s -> state(state, event.key(), s)).orElse(null))
        .put("after", event.after().map(s -> state(state, event.key(), s)).orElse(null))
        .put("source", source)
        .put("op", event.operation().code())
        .put("ts_ms", event.timestamp());
  }

  /**
   * The tombstone that follows a delete on a compacted topic: the object's key and no value, so
   * that compaction forgets it.
   */
  public Encoded tombstone(ChangeEvent event) {
    return new Encoded(keyOf(event), null);
  }

  /**
   * The key of an event's object in this version's names; null if this version does not have its
   * entity.
   */
  byte[] keyOf(ChangeEvent event) {
    if (renames.entityToCurrent(event.key().entity()).isEmpty()) {
      return null;
    }
    return ConnectJson.write(KEY_JSON, key(event, currentEntity(event)));
  }

  private String currentEntity(ChangeEvent event) {
    return currentEntity(event.key());
  }

  private static Struct key(ChangeEvent event, String entityName) {
    return new Struct(KEY)
        .put("dataset", event.dataset())
        .put("entity", entityName)
        .put("id", event.key().id());
  }

  /**
   * An object's state as JSON, in the shape of a change event's {@code after} (without the schema):
   * what the backend read API answers.
   *
   * @param key the object under the names history stores
   * @throws IllegalArgumentException if the model has no longer the object's entity
   */
  public byte[] stateJson(ObjectKey key, SortedMap<String, Value> properties) {
    String entityName = currentEntity(key);
    Schema state = envelopeOf(entityName).schema().field("after").schema();
    return payloads.fromConnectData(topic, state, state(state, key, properties));
  }

  /**
   * The current name of an object's entity. A name the model removed is not taken as it is: a new
   * entity may have it since (stored under another name).
   *
   * @throws IllegalArgumentException if the current model has no longer the entity
   */
  private String currentEntity(ObjectKey key) {
    return renames
        .entityToCurrent(key.entity())
        .orElseThrow(() -> new IllegalArgumentException("no entity " + key.entity()));
  }

  private Struct state(Schema schema, ObjectKey key, SortedMap<String, Value> properties) {
    Struct state = new Struct(schema);
    state.put(idField(schema), key.id());
    properties.forEach(
        (stored, value) -> {
          // A member the model removed is left out, even if a new one has its name since.
          renames
              .memberToCurrent(key.entity(), stored)
              .filter(name -> schema.field(name) != null && !name.equals(idField(schema)))
              .ifPresent(name -> state.put(name, connectValue(value)));
        });
    return state;
  }

  private static String idField(Schema state) {
    return state.parameters().get("id");
  }

  private List<String> currentNames(String storedEntity, List<String> stored) {
    List<String> names = new ArrayList<>(stored.size());
    for (String member : stored) {
      renames.memberToCurrent(storedEntity, member).ifPresent(names::add);
    }
    return names;
  }

  /** The envelope of an entity's events: its state schema twice, the source, op and ts_ms. */
  private static Schema envelope(Entity entity) {
    SchemaBuilder state =
        SchemaBuilder.struct()
            .name("io.tributary." + entity.name() + ".Value")
            .parameter("id", entity.idProperty().name())
            .optional();
    for (Property property : entity.properties()) {
      state.field(
          property.name(),
          property.isId() ? Schema.INT64_SCHEMA : schemaOf(property.type().valueKind(), property));
    }
    for (Relation relation : entity.relations()) {
      state.field(relation.name(), SchemaBuilder.array(Schema.INT64_SCHEMA).optional().build());
    }
    Schema value = state.build();
    return SchemaBuilder.struct()
        .name("io.tributary." + entity.name() + ".Envelope")
        .field("before", value)
        .field("after", value)
        .field("source", SOURCE)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.INT64_SCHEMA)
        .build();
  }

  private static Schema schemaOf(ValueKind kind, Property property) {
    return switch (kind) {
      case BOOL -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
      case INT -> Schema.OPTIONAL_INT64_SCHEMA;
      case FLOAT -> Schema.OPTIONAL_FLOAT64_SCHEMA;
      case TEXT -> Schema.OPTIONAL_STRING_SCHEMA;
      case BYTES -> Schema.OPTIONAL_BYTES_SCHEMA;
      case VECTOR ->
          SchemaBuilder.array(elementSchema(property.type().elementKind())).optional().build();
    };
  }

  private static Schema elementSchema(ValueKind kind) {
    return switch (kind) {
      case BOOL -> Schema.BOOLEAN_SCHEMA;
      case INT -> Schema.INT64_SCHEMA;
      case FLOAT -> Schema.FLOAT64_SCHEMA;
      case TEXT -> Schema.STRING_SCHEMA;
      default -> Schema.BYTES_SCHEMA;
    };
  }

  /** A value as Connect holds it: boxed scalars, lists for vectors and relation sets. */
  private static Object connectValue(Value value) {
    if (value instanceof Value.Bool bool) {
      return bool.value();
    } else if (value instanceof Value.Int integer) {
      return integer.value();
    } else if (value instanceof Value.Float real) {
      return real.value();
    } else if (value instanceof Value.Text text) {
      return text.value();
    } else if (value instanceof Value.Bytes bytes) {
      return bytes.value();
    } else if (value instanceof Value.Ids ids) {
      return List.copyOf(ids.ids());
    } else if (value instanceof Value.Vector vector) {
      return vector.elements().stream().map(ChangeEventRecords::connectValue).toList();
    }
    return null;
  }

  private static JsonConverter payloadConverter() {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"), false);
    return converter;
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(
        Map.of("schemas.enable", "true", "converter.type", isKey ? "key" : "value"), isKey);
    return converter;
  }
}

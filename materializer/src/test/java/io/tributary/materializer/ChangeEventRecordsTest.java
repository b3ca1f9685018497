package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.events.ChangeEvent;
import io.tributary.core.events.ChangeEvent.Operation;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import io.tributary.core.model.Renames;
import io.tributary.kafka.SchemaVersions;
import io.tributary.testkit.Fixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** The records read back with Kafka Connect's own converter, as a stock sink would read them. */
class ChangeEventRecordsTest {

  private static final String TOPIC = "tributary.changes";
  private static final ObjectKey MILK = new ObjectKey("Task", 7);

  private final ChangeEventRecords records =
      new ChangeEventRecords(new SchemaVersions.Version(1, tasks(), Renames.NONE), TOPIC);

  private static Model tasks() {
    try {
      return ModelParser.parse(Files.readString(Fixtures.exampleModel()), "tasks");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ChangeEvent event(
      Operation operation,
      Optional<SortedMap<String, Value>> before,
      Optional<SortedMap<String, Value>> after,
      String... changed) {
    return new ChangeEvent(
        "home", MILK, operation, before, after, new TreeSet<>(List.of(changed)), 12, 1_700L, 42);
  }

  private static SortedMap<String, Value> state(Map<String, Value> properties) {
    return new TreeMap<>(properties);
  }

  @Test
  void aCreateReadsBackAsADebeziumEnvelopeWithEveryPropertyOfItsEntity() throws Exception {
    ChangeEventRecords.Encoded encoded =
        records.encode(
            event(
                Operation.CREATE,
                Optional.empty(),
                Optional.of(
                    state(
                        Map.of(
                            "text",
                            Value.of("milk"),
                            "done",
                            Value.of(false),
                            "checklist",
                            new Value.Vector(List.of(Value.of("a"), Value.of("b"))),
                            "tags",
                            new Value.Ids(new TreeSet<>(List.of(3L, 1L)))))),
                "checklist",
                "done",
                "tags",
                "text"));

    Struct value = (Struct) read(encoded.value(), false).value();
    Struct after = value.getStruct("after");
    assertThat(value.schema().name()).isEqualTo("io.tributary.Task.Envelope");
    assertThat(value.getString("op")).isEqualTo("c");
    assertThat(value.getInt64("ts_ms")).isEqualTo(1_700L);
    assertThat(value.getStruct("before")).isNull();
    assertThat(after.getInt64("id")).isEqualTo(7L);
    assertThat(after.getString("text")).isEqualTo("milk");
    assertThat(after.getBoolean("done")).isFalse();
    assertThat(after.getArray("checklist")).containsExactly("a", "b");
    assertThat(after.getArray("tags")).containsExactly(1L, 3L);
    assertThat(after.get("priority")).as("a property not set is an explicit null").isNull();
    assertThat(after.schema().fields()).hasSize(8); // Seven properties and the relation.
    Struct source = value.getStruct("source");
    assertThat(source.getString("entity")).isEqualTo("Task");
    assertThat(source.getInt64("version")).isEqualTo(12L);
    assertThat(source.getInt64("origin")).isEqualTo(42L);
    assertThat(source.getArray("changed")).containsExactly("checklist", "done", "tags", "text");

    Struct key = (Struct) read(encoded.key(), true).value();
    assertThat(key.getString("dataset")).isEqualTo("home");
    assertThat(key.getString("entity")).isEqualTo("Task");
    assertThat(key.getInt64("id")).isEqualTo(7L);
    JsonNode json = new ObjectMapper().readTree(encoded.value());
    assertThat(json.fieldNames()).toIterable().containsExactly("schema", "payload");
  }

  @Test
  void theStreamedRecordsAreTheConvertersOwnForEveryKindOfValue() throws Exception {
    Model model =
        ModelParser.parse(
            """
            {"entities": [{"id": "1:100", "name": "Reading", "flags": 2, "properties": [
              {"id": "1:101", "name": "id", "type": 6, "flags": 1},
              {"id": "2:102", "name": "label", "type": 9},
              {"id": "3:103", "name": "value", "type": 8},
              {"id": "4:104", "name": "ok", "type": 1},
              {"id": "5:105", "name": "raw", "type": 13},
              {"id": "6:106", "name": "samples", "type": 29},
              {"id": "7:107", "name": "flags", "type": 23},
              {"id": "8:108", "name": "at", "type": 10}],
             "relations": [{"id": "1:109", "name": "peers", "targetId": "1:100"}]}]}
            """,
            "readings");
    ChangeEventRecords readings =
        new ChangeEventRecords(new SchemaVersions.Version(1, model, Renames.NONE), TOPIC);
    SortedMap<String, Value> before =
        state(Map.of("label", Value.of("a \"quoted\" é"), "value", Value.of(-0.5)));
    SortedMap<String, Value> after =
        state(
            Map.of(
                "label",
                Value.of("b"),
                "value",
                Value.of(1e300),
                "ok",
                Value.of(true),
                "raw",
                Value.of(new byte[] {0, 1, -2, 127}),
                "samples",
                new Value.Vector(List.of(Value.of(1.5), Value.of(-2.0))),
                "flags",
                new Value.Vector(List.of(Value.of(7))),
                "at",
                Value.of(1_764_547_200_000L),
                "peers",
                new Value.Ids(new TreeSet<>(List.of(9L, 2L)))));
    for (ChangeEvent event :
        List.of(
            new ChangeEvent(
                "lab",
                new ObjectKey("Reading", 5),
                Operation.UPDATE,
                Optional.of(before),
                Optional.of(after),
                new TreeSet<>(after.keySet()),
                3,
                9L,
                1),
            new ChangeEvent(
                "lab",
                new ObjectKey("Reading", 5),
                Operation.DELETE,
                Optional.of(after),
                Optional.empty(),
                new TreeSet<>(),
                4,
                10L,
                0))) {
      ChangeEventRecords.Encoded streamed = readings.encode(event);
      ChangeEventRecords.Encoded reference = readings.encodeWithConverter(event);

      ObjectMapper json = new ObjectMapper();
      assertThat(json.readTree(streamed.value())).isEqualTo(json.readTree(reference.value()));
      assertThat(json.readTree(streamed.key())).isEqualTo(json.readTree(reference.key()));
      assertThat(read(streamed.value(), false)).isEqualTo(read(reference.value(), false));
    }
  }

  @Test
  void aDeleteCarriesTheStateBefore() {
    ChangeEventRecords.Encoded encoded =
        records.encode(
            event(
                Operation.DELETE,
                Optional.of(state(Map.of("text", Value.of("milk")))),
                Optional.empty()));

    Struct value = (Struct) read(encoded.value(), false).value();
    assertThat(value.getString("op")).isEqualTo("d");
    assertThat(value.getStruct("after")).isNull();
    assertThat(value.getStruct("before").getString("text")).isEqualTo("milk");
  }

  private static SchemaAndValue read(byte[] json, boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), isKey);
    return converter.toConnectData(TOPIC, json);
  }
}

package io.tributary.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ModelParserTest {

  @Test
  void readsTheExampleTasksModel() throws IOException {
    Model model = parse(repoFile("examples/tasks/objectbox-model.json"));

    Entity task = model.entity("Task").orElseThrow();
    assertThat(task.syncEnabled()).isTrue();
    assertThat(task.idProperty().name()).isEqualTo("id");
    assertThat(task.property("text").orElseThrow().type()).isEqualTo(PropertyType.STRING);
    assertThat(task.property("syncClock").orElseThrow().hasFlag(Property.FLAG_SYNC_CLOCK)).isTrue();
  }

  @Test
  void readsObjectBoxsOwnTasksModel() throws IOException {
    Model model = parse(sharedFixture("tasks.json"));

    Entity task = model.entity("Task").orElseThrow();
    assertThat(task.id()).isEqualTo(new IdUid(1, 6645479796472661392L));
    assertThat(task.syncEnabled()).isTrue();
    assertThat(task.properties())
        .extracting(Property::name)
        .containsExactly("id", "text", "dateCreated", "dateFinished", "syncClock");
    assertThat(task.property("dateCreated").orElseThrow().type()).isEqualTo(PropertyType.DATE);
  }

  @Test
  void readsRelationsOfObjectBoxsRelationsModel() throws IOException {
    Model model = parse(sharedFixture("relations.json"));

    Property customer = model.entity("Order").orElseThrow().property("customerId").orElseThrow();
    assertThat(customer.type()).isEqualTo(PropertyType.RELATION);
    assertThat(customer.relationTarget()).isEqualTo("Customer");
    Relation teachers = model.entity("Student").orElseThrow().relations().get(0);
    assertThat(teachers.name()).isEqualTo("teachers");
    assertThat(teachers.targetId()).isEqualTo(new IdUid(4, 7584798022982496514L));
  }

  @Test
  void namesTheLineOfInvalidJson() {
    assertThatThrownBy(() -> ModelParser.parse("{\n  \"entities\": [,]\n}", "m.json"))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith("m.json: not valid JSON at line 2");
  }

  @Test
  void namesTheEntityWithoutId() {
    String json =
        "{\"entities\":[{\"id\":\"1:5\",\"name\":\"Note\",\"properties\":"
            + "[{\"id\":\"1:6\",\"name\":\"text\",\"type\":9}]}]}";
    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .isInstanceOf(ModelException.class)
        .hasMessage("m.json: entities[0] (Note): needs exactly one ID property (flag 1), has 0");
  }

  @Test
  void namesTheUnknownPropertyType() {
    String json =
        "{\"entities\":[{\"id\":\"1:5\",\"name\":\"Note\",\"properties\":"
            + "[{\"id\":\"1:6\",\"name\":\"id\",\"type\":6,\"flags\":1},"
            + "{\"id\":\"2:7\",\"name\":\"x\",\"type\":99}]}]}";
    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .isInstanceOf(ModelException.class)
        .hasMessage("m.json: entities[0] (Note).properties[1] (x): unknown property type 99");
  }

  @Test
  void namesTheMalformedIdUid() {
    String json =
        "{\"entities\":[{\"id\":\"seven\",\"name\":\"Note\",\"properties\":"
            + "[{\"id\":\"1:6\",\"name\":\"id\",\"type\":6,\"flags\":1}]}]}";
    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("entities[0] (Note): \"id\": expected \"id:uid\" but was \"seven\"");
  }

  @Test
  void readsEveryFixtureModelWithItsIndexesAndRetiredUids() throws IOException {
    Model relations = parse(sharedFixture("relations.json"));

    Property customer =
        relations.entity("Order").orElseThrow().property("customerId").orElseThrow();
    assertThat(customer.indexId()).isEqualTo(new IdUid(1, 3976444895053443633L));
    assertThat(customer.flags()).isEqualTo(520);
    assertThat(relations.entities()).hasSize(4);
    assertThat(relations.retired()).isEqualTo(RetiredUids.NONE);
    assertThat(parse(sharedFixture("tasks.json")).modelVersion()).isEqualTo(5);
  }

  @Test
  void aWrittenModelReadsBackAsTheSameModel() throws IOException {
    for (Path file :
        java.util.List.of(
            repoFile("examples/tasks/objectbox-model.json"), sharedFixture("relations.json"))) {
      Model model = parse(file);
      Model withRetired =
          new Model(
              model.entities(),
              model.modelVersion(),
              new RetiredUids(
                  java.util.Set.of(-1L, 3L),
                  java.util.Set.of(9L),
                  java.util.Set.of(),
                  java.util.Set.of(4L)));

      assertThat(ModelParser.parse(ModelJson.write(model), "written")).isEqualTo(model);
      assertThat(ModelParser.parse(ModelJson.write(withRetired), "written")).isEqualTo(withRetired);
    }
  }

  @Test
  void readsEveryPropertyTypeCode() {
    StringBuilder properties =
        new StringBuilder("{\"id\": \"1:11\", \"name\": \"id\", \"type\": 6, \"flags\": 1}");
    int next = 2;
    for (PropertyType type : PropertyType.values()) {
      if (type == PropertyType.RELATION) {
        continue;
      }
      properties.append(
          String.format(
              ", {\"id\": \"%d:%d\", \"name\": \"p%d\", \"type\": %d}",
              next, 100 + next, type.code(), type.code()));
      next++;
    }
    Model model =
        ModelParser.parse(
            "{\"entities\": [{\"id\": \"1:1\", \"name\": \"All\", \"properties\": ["
                + properties
                + "]}]}",
            "m.json");

    assertThat(model.entity("All").orElseThrow().properties())
        .extracting(Property::type)
        .containsAll(
            java.util.Arrays.stream(PropertyType.values())
                .filter(t -> t != PropertyType.RELATION)
                .toList());
  }

  @Test
  void readsRetiredUidsBeyondTheSignedRange() {
    Model model =
        ModelParser.parse(
            "{\"entities\": [], \"retiredPropertyUids\": [18446744073709551615, 7]}", "m.json");

    assertThat(model.retired().properties()).containsExactlyInAnyOrder(-1L, 7L);
  }

  @Test
  void refusesAnEntityWithARetiredUid() {
    String json = "{\"entities\": [" + NOTE + "], \"retiredEntityUids\": [5]}";

    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .hasMessage("m.json: entities[0] (Note): uid 5 is retired and cannot be reused");
  }

  @Test
  void refusesAUidUsedTwice() {
    String json =
        "{\"entities\": ["
            + NOTE
            + ", "
            + NOTE.replace("Note", "Memo").replace("\"1:6\"", "\"1:7\"")
            + "]}";

    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .hasMessage("m.json: entity Memo: uid 1:5 is used twice");
  }

  @Test
  void refusesARelationNamedAsAProperty() {
    String json =
        "{\"entities\": ["
            + NOTE.replace(
                "]}",
                "], \"relations\": [{\"id\": \"1:9\", \"name\": \"id\", \"targetId\": \"1:5\"}]}")
            + "]}";

    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .hasMessage("m.json: entity Note: relation \"id\" has the name of another member");
  }

  @Test
  void refusesARelationToAnUnknownEntity() {
    String json =
        "{\"entities\":[{\"id\":\"1:5\",\"name\":\"Order\",\"properties\":"
            + "[{\"id\":\"1:6\",\"name\":\"id\",\"type\":6,\"flags\":1},"
            + "{\"id\":\"2:7\",\"name\":\"customerId\",\"type\":11,\"relationTarget\":\"Customer\"}]}]}";

    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .hasMessage(
            "m.json: entity Order.customerId: relationTarget \"Customer\" is not an entity of the model");
  }

  @Test
  void refusesAModelFormatNewerThanItReads() {
    assertThatThrownBy(
            () ->
                ModelParser.parse("{\"entities\": [], \"modelVersionParserMinimum\": 6}", "m.json"))
        .hasMessage("m.json: written for model format 6 or newer; this server reads format 5");
  }

  @Test
  void refusesFlagsThatAreNotANumber() {
    String json = "{\"entities\": [" + NOTE.replace("\"flags\":1", "\"flags\":\"ID\"") + "]}";

    assertThatThrownBy(() -> ModelParser.parse(json, "m.json"))
        .hasMessage(
            "m.json: entities[0] (Note).properties[0] (id): \"flags\" must be an integer, was \"ID\"");
  }

  private static final String NOTE =
      "{\"id\":\"1:5\",\"name\":\"Note\",\"properties\":[{\"id\":\"1:6\",\"name\":\"id\",\"type\":6,\"flags\":1}]}";

  static Model parse(Path file) throws IOException {
    return ModelParser.parse(Files.readString(file), file.toString());
  }

  static Path repoFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found");
  }

  /** ObjectBox's real files beside the repository; absent on a user's clone, then skipped. */
  static Path sharedFixture(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("../shared/fixtures/objectbox-models").resolve(name).normalize();
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    Assumptions.abort("shared fixtures not present: " + name);
    return null;
  }
}

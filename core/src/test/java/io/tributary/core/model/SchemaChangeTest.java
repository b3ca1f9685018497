package io.tributary.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaChangeTest {

  private static final String TASK =
      """
      {"entities": [{"id": "1:100", "name": "Task", "flags": 2, "properties": [
        {"id": "1:101", "name": "id", "type": 6, "flags": 1},
        {"id": "2:102", "name": "text", "type": 9}%s]}%s],
       "retiredEntityUids": [%s], "retiredPropertyUids": [%s]}
      """;

  @Test
  void theSameModelIsUnchanged() {
    SchemaChange change = SchemaChange.between(task("", "", "", ""), task("", "", "", ""));

    assertThat(change.unchanged()).isTrue();
    assertThat(change.isCompatible()).isTrue();
  }

  @Test
  void aNewPropertyAndANewEntityAreCompatible() {
    Model next =
        task(
            ", {\"id\": \"3:103\", \"name\": \"done\", \"type\": 1}",
            ", {\"id\": \"2:200\", \"name\": \"Tag\", \"properties\": [{\"id\": \"1:201\","
                + " \"name\": \"id\", \"type\": 6, \"flags\": 1}]}",
            "",
            "");

    SchemaChange change = SchemaChange.between(task("", "", "", ""), next);

    assertThat(change.incompatible()).isEmpty();
    assertThat(change.compatible()).containsExactly("property Task.done added", "entity Tag added");
  }

  @Test
  void aRenameKeepsTheUidAndIsCompatible() {
    Model renamed = parse(String.format(TASK, "", "", "", "").replace("\"text\"", "\"title\""));

    SchemaChange change = SchemaChange.between(task("", "", "", ""), renamed);

    assertThat(change.isCompatible()).isTrue();
    assertThat(change.compatible()).containsExactly("property Task.text renamed to title");
  }

  @Test
  void aRemovedPropertyIsCompatible() {
    Model withDone = task(", {\"id\": \"3:103\", \"name\": \"done\", \"type\": 1}", "", "", "");

    SchemaChange change = SchemaChange.between(withDone, task("", "", "", "103"));

    assertThat(change.isCompatible()).isTrue();
    assertThat(change.compatible()).contains("property Task.done removed");
  }

  @Test
  void aTypeChangeOfTheSameUidIsIncompatible() {
    Model retyped =
        parse(
            String.format(TASK, "", "", "", "")
                .replace("\"name\": \"text\", \"type\": 9", "\"name\": \"text\", \"type\": 6"));

    SchemaChange change = SchemaChange.between(task("", "", "", ""), retyped);

    assertThat(change.isCompatible()).isFalse();
    assertThat(change.incompatible())
        .containsExactly("property Task.text changes type from STRING to LONG");
  }

  @Test
  void reusingARetiredUidIsIncompatible() {
    Model retiredDone = task("", "", "", "103");
    // The new file forgot that 103 was retired and brings it back as something else.
    Model reused = task(", {\"id\": \"3:103\", \"name\": \"count\", \"type\": 5}", "", "", "");

    SchemaChange change = SchemaChange.between(retiredDone, reused);

    assertThat(change.incompatible())
        .containsExactly("property Task.count reuses the retired property uid 103");
  }

  @Test
  void reusingARetiredEntityUidIsIncompatible() {
    Model tagRetired = task("", "", "200", "");
    Model tagBack =
        task(
            "",
            ", {\"id\": \"2:200\", \"name\": \"Label\", \"properties\": [{\"id\": \"1:201\","
                + " \"name\": \"id\", \"type\": 6, \"flags\": 1}]}",
            "",
            "");

    assertThat(SchemaChange.between(tagRetired, tagBack).incompatible())
        .containsExactly("entity Label reuses the retired entity uid 200");
  }

  @Test
  void aNewEntityCannotTakeARetiredPropertyUid() {
    Model doneRetired = task("", "", "", "103");
    Model labelWithIt =
        task(
            "",
            ", {\"id\": \"2:200\", \"name\": \"Label\", \"properties\": [{\"id\": \"1:103\","
                + " \"name\": \"id\", \"type\": 6, \"flags\": 1}]}",
            "",
            "");

    assertThat(SchemaChange.between(doneRetired, labelWithIt).incompatible())
        .containsExactly("property Label.id reuses the retired property uid 103");
  }

  @Test
  void anotherIdPropertyIsIncompatible() {
    Model otherId =
        parse(
            String.format(TASK, ", {\"id\": \"3:103\", \"name\": \"key\", \"type\": 6}", "", "", "")
                .replace("\"type\": 6, \"flags\": 1}", "\"type\": 6}")
                .replace(
                    "\"name\": \"key\", \"type\": 6}",
                    "\"name\": \"key\", \"type\": 6, \"flags\": 1}"));

    assertThat(SchemaChange.between(task("", "", "", ""), otherId).incompatible())
        .containsExactly("property Task.id stops being the ID");
  }

  private static Model task(
      String moreProperties,
      String moreEntities,
      String retiredEntities,
      String retiredProperties) {
    return parse(
        String.format(TASK, moreProperties, moreEntities, retiredEntities, retiredProperties));
  }

  private static Model parse(String json) {
    return ModelParser.parse(json, "m.json");
  }
}

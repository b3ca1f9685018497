package io.tributary.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.SetInsert;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenamesTest {

  private static final String V1 =
      """
      {"entities": [
        {"id": "1:100", "name": "Task", "properties": [
          {"id": "1:101", "name": "id", "type": 6, "flags": 1},
          {"id": "2:102", "name": "text", "type": 9},
          {"id": "3:103", "name": "note", "type": 9}],
         "relations": [{"id": "1:104", "name": "tags", "targetId": "2:200"}]},
        {"id": "2:200", "name": "Tag", "properties": [
          {"id": "1:201", "name": "id", "type": 6, "flags": 1}]}]}
      """;

  @Test
  void oneVersionPassesNamesUnchanged() {
    Renames renames = Renames.of(List.of(parse(V1)));

    assertThat(renames.isIdentity()).isTrue();
    Changeset changeset = changeset(new Update(new ObjectKey("Task", 1), "text", Value.of("a")));
    assertThat(renames.toStored(changeset)).isSameAs(changeset);
  }

  @Test
  void renamedEntityPropertyAndRelationTravelUnderTheirFirstNames() {
    Model v2 =
        parse(
            V1.replace("\"Task\"", "\"Todo\"")
                .replace("\"text\"", "\"title\"")
                .replace("\"tags\"", "\"labels\""));
    Renames renames = Renames.of(List.of(parse(V1), v2));

    Changeset fromClient =
        changeset(
            new CreateObject(new ObjectKey("Todo", 1)),
            new Update(new ObjectKey("Todo", 1), "title", Value.of("a")),
            new SetInsert(new ObjectKey("Todo", 1), "labels", 7));
    Changeset stored = renames.toStored(fromClient);

    assertThat(stored.instructions())
        .containsExactly(
            new CreateObject(new ObjectKey("Task", 1)),
            new Update(new ObjectKey("Task", 1), "text", Value.of("a")),
            new SetInsert(new ObjectKey("Task", 1), "tags", 7));
    assertThat(renames.toCurrent(stored)).isEqualTo(fromClient);
    assertThat(renames.entityToCurrent("Task")).contains("Todo");
    assertThat(renames.memberToCurrent("Task", "text")).contains("title");
  }

  @Test
  void renamedSinceNamesTheEntitiesACopyUnderTheOldNamesMustWriteAgain() {
    Model v1 = parse(V1);
    Model propertyRenamed = parse(V1.replace("\"text\"", "\"title\""));
    Model tagRenamed = parse(V1.replace("\"Tag\"", "\"Label\""));
    Model relationRenamed = parse(V1.replace("\"tags\"", "\"labels\""));
    Model propertyAdded =
        parse(
            V1.replace(
                "\"type\": 9}]",
                "\"type\": 9}, {\"id\": \"4:105\", \"name\": \"due\", \"type\": 6}]"));
    Model propertyRemoved =
        parse(V1.replace(",\n    {\"id\": \"3:103\", \"name\": \"note\", \"type\": 9}", ""));
    Renames first = Renames.of(List.of(v1));

    assertThat(Renames.of(List.of(v1, propertyRenamed)).renamedSince(first, propertyRenamed))
        .containsExactly("Task");
    assertThat(Renames.of(List.of(v1, tagRenamed)).renamedSince(first, tagRenamed))
        .containsExactly("Tag");
    assertThat(Renames.of(List.of(v1, relationRenamed)).renamedSince(first, relationRenamed))
        .containsExactly("Task");
    assertThat(Renames.of(List.of(v1, propertyAdded)).renamedSince(first, propertyAdded)).isEmpty();
    assertThat(Renames.of(List.of(v1, propertyRemoved)).renamedSince(first, propertyRemoved))
        .isEmpty();
    assertThat(first.renamedSince(first, v1)).isEmpty();
    // Back again: the copy under the new names must be written again under the first ones.
    assertThat(first.renamedSince(Renames.of(List.of(v1, propertyRenamed)), v1))
        .containsExactly("Task");
  }

  @Test
  void whatTheCurrentModelRemovedIsNotShown() {
    Model v2 = parse(V1.replace(",\n    {\"id\": \"3:103\", \"name\": \"note\", \"type\": 9}", ""));
    assertThat(v2.entity("Task").orElseThrow().property("note")).isEmpty();
    Renames renames = Renames.of(List.of(parse(V1), v2));

    Changeset stored =
        changeset(
            new Update(new ObjectKey("Task", 1), "note", Value.of("old")),
            new Update(new ObjectKey("Task", 1), "text", Value.of("kept")));

    assertThat(renames.toCurrent(stored).instructions())
        .containsExactly(new Update(new ObjectKey("Task", 1), "text", Value.of("kept")));
    assertThat(renames.memberToCurrent("Task", "note")).isEmpty();
  }

  @Test
  void aNewUidWithAnOldNameIsStoredApart() {
    // Version 2 renames Tag to Label; version 3 brings a new entity called Tag.
    Model v2 = parse(V1.replace("\"Tag\"", "\"Label\""));
    Model v3 =
        parse(
            V1.replace("\"Tag\"", "\"Label\"")
                .replace(
                    "]}]}",
                    "]}, {\"id\": \"3:300\", \"name\": \"Tag\", \"properties\": [{\"id\":"
                        + " \"1:301\", \"name\": \"id\", \"type\": 6, \"flags\": 1}]}]}"));
    Renames renames = Renames.of(List.of(parse(V1), v2, v3));

    Changeset stored = renames.toStored(changeset(new CreateObject(new ObjectKey("Tag", 5))));

    assertThat(stored.instructions())
        .containsExactly(new CreateObject(new ObjectKey("Tag#300", 5)));
    assertThat(renames.entityToCurrent("Tag")).contains("Label");
  }

  private static Changeset changeset(Instruction... instructions) {
    return new Changeset(1, 0, 1000, 7, List.of(instructions));
  }

  private static Model parse(String json) {
    return ModelParser.parse(json, "m.json");
  }
}

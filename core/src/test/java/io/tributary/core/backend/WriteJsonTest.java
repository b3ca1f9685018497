package io.tributary.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelParser;
import io.tributary.core.sequencing.UploadRequest.BackendWrite;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteJsonTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 7);
  private final Model model = tasks();

  private static Model tasks() {
    try {
      for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
          dir != null;
          dir = dir.getParent()) {
        java.nio.file.Path file = dir.resolve("examples/tasks/objectbox-model.json");
        if (Files.exists(file)) {
          return ModelParser.parse(Files.readString(file), "tasks");
        }
      }
      throw new IllegalStateException("examples/tasks/objectbox-model.json not found");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private WriteJson.Write read(String json) throws Exception {
    return WriteJson.read(new ObjectMapper().readTree(json), model);
  }

  @Test
  void everyKindOfChangeBecomesItsInstruction() throws Exception {
    WriteJson.Write write =
        read(
            """
            {"changes": [
              {"op": "create", "entity": "Task", "id": 7, "values": {"text": "milk", "done": false}},
              {"op": "update", "entity": "Task", "id": 7, "values": {"priority": 2, "checklist": ["a"]}},
              {"op": "add", "entity": "Task", "id": 7, "property": "priority", "delta": -1},
              {"op": "link", "entity": "Task", "id": 7, "relation": "tags", "target": 3},
              {"op": "unlink", "entity": "Task", "id": 7, "relation": "tags", "target": 4},
              {"op": "unlinkAll", "entity": "Task", "id": 7, "relation": "tags"},
              {"op": "listInsert", "entity": "Task", "id": 7, "property": "checklist", "index": 1, "value": "b"},
              {"op": "listSet", "entity": "Task", "id": 7, "property": "checklist", "index": 0, "value": "c"},
              {"op": "listMove", "entity": "Task", "id": 7, "property": "checklist", "from": 0, "to": 1},
              {"op": "listErase", "entity": "Task", "id": 7, "property": "checklist", "index": 0},
              {"op": "update", "entity": "Task", "id": 7, "values": {"text": null}},
              {"op": "erase", "entity": "Task", "id": 7}]}
            """);

    assertThat(write.baseVersion()).isEqualTo(BackendWrite.AT_HEAD);
    assertThat(write.instructions())
        .containsExactly(
            new Instruction.CreateObject(TASK),
            new Instruction.Update(TASK, "text", Value.of("milk")),
            new Instruction.Update(TASK, "done", Value.of(false)),
            new Instruction.Update(TASK, "priority", Value.of(2)),
            new Instruction.Update(TASK, "checklist", new Value.Vector(List.of(Value.of("a")))),
            new Instruction.AddInteger(TASK, "priority", -1),
            new Instruction.SetInsert(TASK, "tags", 3),
            new Instruction.SetErase(TASK, "tags", 4),
            new Instruction.SetClear(TASK, "tags"),
            new Instruction.ArrayInsert(TASK, "checklist", 1, Value.of("b")),
            new Instruction.ArraySet(TASK, "checklist", 0, Value.of("c")),
            new Instruction.ArrayMove(TASK, "checklist", 0, 1),
            new Instruction.ArrayErase(TASK, "checklist", 0),
            new Instruction.Update(TASK, "text", new Value.Null()),
            new Instruction.EraseObject(TASK));
  }

  @Test
  void aBaseVersionIsKept() throws Exception {
    assertThat(
            read("{\"baseVersion\": 41, \"changes\": [{\"op\": \"erase\", \"entity\": \"Tag\", \"id\": 1}]}")
                .baseVersion())
        .isEqualTo(41);
  }

  @Test
  void eachRefusalNamesTheChangeTheEntityAndTheProperty() {
    assertRefused("{}", "\"changes\" must be a non-empty array");
    assertRefused("{\"changes\": []}", "\"changes\" must be a non-empty array");
    assertRefused(
        "{\"changes\": [{\"op\": \"create\", \"entity\": \"Tsk\", \"id\": 1}]}",
        "changes[0]: the model has no entity \"Tsk\"");
    assertRefused(
        "{\"changes\": [{\"op\": \"erase\", \"entity\": \"Task\", \"id\": 1},"
            + " {\"op\": \"update\", \"entity\": \"Task\", \"id\": 1, \"values\": {\"priority\": \"high\"}}]}",
        "changes[1]: Task.priority must be an integer, not \"high\"");
    assertRefused(
        "{\"changes\": [{\"op\": \"update\", \"entity\": \"Task\", \"id\": 1, \"values\": {\"colour\": 1}}]}",
        "changes[0]: Task has no property \"colour\"");
    assertRefused(
        "{\"changes\": [{\"op\": \"add\", \"entity\": \"Task\", \"id\": 1, \"property\": \"text\", \"delta\": 1}]}",
        "changes[0]: Task.text is not an integer: cannot add");
    assertRefused(
        "{\"changes\": [{\"op\": \"link\", \"entity\": \"Task\", \"id\": 1, \"relation\": \"tgs\", \"target\": 1}]}",
        "changes[0]: Task has no relation \"tgs\"");
    assertRefused(
        "{\"changes\": [{\"op\": \"listInsert\", \"entity\": \"Task\", \"id\": 1, \"property\": \"text\", \"index\": 0, \"value\": \"x\"}]}",
        "changes[0]: Task.text is not a list");
    assertRefused(
        "{\"changes\": [{\"op\": \"update\", \"entity\": \"Task\", \"id\": 1, \"values\": {\"id\": 2}}]}",
        "changes[0]: Task.id is the id");
    assertRefused(
        "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": -1}]}",
        "changes[0]: \"id\" must be a positive integer");
    assertRefused(
        "{\"changes\": [{\"op\": \"upsert\", \"entity\": \"Task\", \"id\": 1}]}",
        "changes[0]: \"op\" must be create, update");
    assertRefused(
        "{\"baseVersion\": \"x\", \"changes\": [{\"op\": \"erase\", \"entity\": \"Task\", \"id\": 1}]}",
        "\"baseVersion\" must be a version number");
  }

  private void assertRefused(String json, String message) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(WriteJson.BadWrite.class)
        .hasMessageStartingWith(message);
  }
}

package io.tributary.core.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangesetValidatorTest {

  private final ChangesetValidator validator;

  ChangesetValidatorTest() throws IOException {
    validator =
        new ChangesetValidator(
            ModelParserTest.parse(ModelParserTest.repoFile("examples/tasks/objectbox-model.json")));
  }

  @Test
  void acceptsWellTypedChanges() {
    assertThatCode(
            () ->
                validator.validate(
                    changeset(
                        new Instruction.CreateObject(task(1)),
                        new Instruction.Update(task(1), "text", Value.of("milk")),
                        new Instruction.Update(task(1), "done", Value.of(true)),
                        new Instruction.Update(task(1), "priority", Value.of(3L)),
                        new Instruction.Update(task(1), "text", Value.NULL),
                        new Instruction.EraseObject(task(1)))))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsListChangesOfAVectorProperty() {
    assertThatCode(
            () ->
                validator.validate(
                    changeset(
                        new Instruction.Update(
                            task(1), "checklist", new Value.Vector(List.of(Value.of("eggs")))),
                        new Instruction.ArrayInsert(task(1), "checklist", 1, Value.of("milk")),
                        new Instruction.ArraySet(task(1), "checklist", 0, Value.of("bread")),
                        new Instruction.ArrayMove(task(1), "checklist", 1, 0),
                        new Instruction.ArrayErase(task(1), "checklist", 0))))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesListChangesOfAPropertyThatIsNotAList() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.ArrayInsert(task(1), "text", 0, Value.of("x")))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessage(
            "instruction 0 (ArrayInsert): property \"Task.text\" of type STRING is not a list");
  }

  @Test
  void refusesAListElementOfTheWrongType() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.ArraySet(task(1), "checklist", 0, Value.of(5L)))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("cannot hold the element Int[value=5]");
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(
                        new Instruction.Update(
                            task(1), "checklist", new Value.Vector(List.of(Value.of(true)))))))
        .isInstanceOf(SchemaViolation.class);
  }

  @Test
  void refusesANegativeListIndex() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.ArrayMove(task(1), "checklist", 0, -1))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessage("instruction 0 (ArrayMove): list index must not be negative, was -1");
  }

  @Test
  void refusesUnknownEntity() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.CreateObject(new ObjectKey("Nope", 1)))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessage("instruction 0 (CreateObject): unknown entity \"Nope\"");
  }

  @Test
  void refusesUnknownProperty() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(
                        new Instruction.CreateObject(task(1)),
                        new Instruction.Update(task(1), "colour", Value.of("red")))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessage("instruction 1 (Update): entity \"Task\" has no property \"colour\"");
  }

  @Test
  void refusesWrongValueType() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.Update(task(1), "done", Value.of("yes")))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("\"Task.done\" of type BOOL cannot hold Text[value=yes]");
  }

  @Test
  void refusesUpdatingTheId() {
    assertThatThrownBy(
            () ->
                validator.validate(changeset(new Instruction.Update(task(1), "id", Value.of(2L)))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("the ID property \"id\" is the identity");
  }

  @Test
  void refusesNonPositiveIds() {
    assertThatThrownBy(() -> validator.validate(changeset(new Instruction.CreateObject(task(0)))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("object id must be positive");
  }

  @Test
  void acceptsCountersAndRelationChanges() {
    assertThatCode(
            () ->
                validator.validate(
                    changeset(
                        new Instruction.AddInteger(task(1), "priority", -2),
                        new Instruction.SetInsert(task(1), "tags", 7),
                        new Instruction.SetErase(task(1), "tags", 7),
                        new Instruction.SetClear(task(1), "tags"))))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesAnAdditionToATextProperty() {
    assertThatThrownBy(
            () -> validator.validate(changeset(new Instruction.AddInteger(task(1), "text", 1))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("\"Task.text\" of type STRING is not a counter");
  }

  @Test
  void refusesAnUnknownRelation() {
    assertThatThrownBy(
            () -> validator.validate(changeset(new Instruction.SetInsert(task(1), "owners", 1))))
        .isInstanceOf(SchemaViolation.class)
        .hasMessageContaining("has no to-many relation \"owners\"");
  }

  @Test
  void refusesSettingARelationsTargetsDirectly() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    changeset(new Instruction.Update(task(1), "text", Value.ids(List.of(1L))))))
        .isInstanceOf(SchemaViolation.class);
  }

  private static ObjectKey task(long id) {
    return new ObjectKey("Task", id);
  }

  private static Changeset changeset(Instruction... instructions) {
    return new Changeset(1, 0, 1, 1, List.of(instructions));
  }
}

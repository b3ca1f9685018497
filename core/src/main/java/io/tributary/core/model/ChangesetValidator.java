package io.tributary.core.model;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;

/** Checks a changeset against the model before anything of it is published. */
public final class ChangesetValidator implements ChangesetCheck {

  private final Model model;

  public ChangesetValidator(Model model) {
    this.model = model;
  }

  /** Throws {@link SchemaViolation} naming the first instruction that does not fit. */
  public void validate(Changeset changeset) {
    for (int i = 0; i < changeset.instructions().size(); i++) {
      Instruction instruction = changeset.instructions().get(i);
      String where = "instruction " + i + " (" + instruction.getClass().getSimpleName() + ")";
      Entity entity = syncedEntity(instruction.object(), where);
      if (instruction instanceof Update update) {
        checkUpdate(entity, update, where);
      } else if (instruction instanceof Instruction.AddInteger add) {
        checkAddition(entity, add, where);
      } else if (instruction instanceof Instruction.SetInsert insert) {
        checkElement(entity, insert.relation(), insert.target(), where);
      } else if (instruction instanceof Instruction.SetErase remove) {
        checkElement(entity, remove.relation(), remove.target(), where);
      } else if (instruction instanceof Instruction.SetClear clear) {
        relation(entity, clear.relation(), where);
      } else if (instruction instanceof Instruction.ListInstruction element) {
        checkListChange(entity, element, where);
      }
    }
  }

  private Entity syncedEntity(ObjectKey key, String where) {
    Entity entity =
        model
            .entity(key.entity())
            .orElseThrow(
                () -> new SchemaViolation(where + ": unknown entity \"" + key.entity() + "\""));
    if (!entity.syncEnabled()) {
      throw new SchemaViolation(where + ": entity \"" + entity.name() + "\" is not sync-enabled");
    }
    if (key.id() <= 0) {
      throw new SchemaViolation(where + ": object id must be positive, was " + key.id());
    }
    return entity;
  }

  private static void checkAddition(Entity entity, Instruction.AddInteger add, String where) {
    Property property = property(entity, add.property(), where);
    if (property.isId()
        || property.type().valueKind() != ValueKind.INT
        || property.type() == PropertyType.RELATION) {
      throw typeMismatch(entity, property, "is not a counter", where);
    }
  }

  private static void checkElement(Entity entity, String relation, long target, String where) {
    relation(entity, relation, where);
    if (target <= 0) {
      throw new SchemaViolation(where + ": relation target ids must be positive, was " + target);
    }
  }

  private static Relation relation(Entity entity, String name, String where) {
    return entity.relations().stream()
        .filter(relation -> relation.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new SchemaViolation(
                    where
                        + ": entity \""
                        + entity.name()
                        + "\" has no to-many relation \""
                        + name
                        + "\""));
  }

  private static Property property(Entity entity, String name, String where) {
    return entity
        .property(name)
        .orElseThrow(
            () ->
                new SchemaViolation(
                    where + ": entity \"" + entity.name() + "\" has no property \"" + name + "\""));
  }

  private static void checkUpdate(Entity entity, Update update, String where) {
    Property property = property(entity, update.property(), where);
    if (property.isId()) {
      throw new SchemaViolation(
          where
              + ": the ID property \""
              + property.name()
              + "\" is the identity and cannot be updated");
    }
    if (!fits(update.value(), property)) {
      throw typeMismatch(entity, property, "cannot hold " + update.value(), where);
    }
  }

  /**
   * A list instruction names a vector property, non-negative indexes and an element of the vector's
   * type. Whether an index is within the list depends on the state; clients check it before
   * sending.
   */
  private static void checkListChange(
      Entity entity, Instruction.ListInstruction element, String where) {
    Property property = property(entity, element.property(), where);
    if (property.type().valueKind() != ValueKind.VECTOR) {
      throw typeMismatch(entity, property, "is not a list", where);
    }
    for (int index : indexesOf(element)) {
      if (index < 0) {
        throw new SchemaViolation(where + ": list index must not be negative, was " + index);
      }
    }
    Value value = elementOf(element);
    if (value != null && !fitsElement(value, property)) {
      throw typeMismatch(entity, property, "cannot hold the element " + value, where);
    }
  }

  private static int[] indexesOf(Instruction.ListInstruction element) {
    if (element instanceof Instruction.ArrayInsert insert) {
      return new int[] {insert.index()};
    } else if (element instanceof Instruction.ArraySet set) {
      return new int[] {set.index()};
    } else if (element instanceof Instruction.ArrayErase erase) {
      return new int[] {erase.index()};
    }
    Instruction.ArrayMove move = (Instruction.ArrayMove) element;
    return new int[] {move.from(), move.to()};
  }

  private static Value elementOf(Instruction.ListInstruction element) {
    if (element instanceof Instruction.ArrayInsert insert) {
      return insert.value();
    }
    return element instanceof Instruction.ArraySet set ? set.value() : null;
  }

  private static boolean fitsElement(Value value, Property property) {
    return !(value instanceof Value.Null) && kindOf(value) == property.type().elementKind();
  }

  private static SchemaViolation typeMismatch(
      Entity entity, Property property, String problem, String where) {
    return new SchemaViolation(
        where
            + ": property \""
            + entity.name()
            + "."
            + property.name()
            + "\" of type "
            + property.type()
            + " "
            + problem);
  }

  private static boolean fits(Value value, Property property) {
    if (value instanceof Value.Null) {
      return !property.hasFlag(Property.FLAG_NOT_NULL);
    }
    if (value instanceof Value.Ids) {
      return false; // To-many relations change by SetInsert, SetErase and SetClear.
    }
    if (value instanceof Value.Vector vector) {
      return property.type().valueKind() == ValueKind.VECTOR
          && vector.elements().stream().allMatch(element -> fitsElement(element, property));
    }
    return property.type().valueKind() == kindOf(value);
  }

  private static ValueKind kindOf(Value value) {
    if (value instanceof Value.Bool) {
      return ValueKind.BOOL;
    } else if (value instanceof Value.Int) {
      return ValueKind.INT;
    } else if (value instanceof Value.Float) {
      return ValueKind.FLOAT;
    } else if (value instanceof Value.Text) {
      return ValueKind.TEXT;
    } else if (value instanceof Value.Vector) {
      return ValueKind.VECTOR;
    }
    return ValueKind.BYTES;
  }
}

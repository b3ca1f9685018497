package io.tributary.core.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Entity;
import io.tributary.core.model.Model;
import io.tributary.core.model.Property;
import io.tributary.core.model.ValueKind;
import io.tributary.core.sequencing.UploadRequest.BackendWrite;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A backend's write in JSON, read against the current model into instructions:
 *
 * <pre>
 * {"baseVersion": 41,   (optional: the version the write was decided on; else the head)
 *  "changes": [
 *   {"op": "create", "entity": "Task", "id": 7, "values": {"text": "buy milk"}},
 *   {"op": "update", "entity": "Task", "id": 7, "values": {"done": true}},
 *   {"op": "erase", "entity": "Task", "id": 7},
 *   {"op": "add", "entity": "Task", "id": 7, "property": "priority", "delta": 1},
 *   {"op": "link" | "unlink", "entity": "Task", "id": 7, "relation": "tags", "target": 3},
 *   {"op": "unlinkAll", "entity": "Task", "id": 7, "relation": "tags"},
 *   {"op": "listInsert" | "listSet", "entity": "Task", "id": 7, "property": "checklist",
 *    "index": 0, "value": "milk"},
 *   {"op": "listErase", ..., "index": 0}, {"op": "listMove", ..., "from": 0, "to": 2}]}
 * </pre>
 *
 * Values take the JSON type of their property: booleans, integers (dates too, in milliseconds),
 * numbers, strings, base64 strings for bytes, arrays for lists, null to clear. Every refusal names
 * the change, the entity and the property.
 */
public final class WriteJson {

  /** The most changes one write may hold. */
  public static final int MAX_CHANGES = 10_000;

  /** A write read: its instructions and the version it was decided on. */
  public record Write(List<Instruction> instructions, long baseVersion) {}

  /** A write that cannot be read or does not fit the model. */
  public static final class BadWrite extends RuntimeException {
    public BadWrite(String message) {
      super(message);
    }
  }

  private WriteJson() {}

  public static Write read(JsonNode body, Model model) {
    if (body == null || !body.isObject()) {
      throw new BadWrite("the body must be a JSON object with \"changes\"");
    }
    JsonNode changes = body.get("changes");
    if (changes == null || !changes.isArray() || changes.isEmpty()) {
      throw new BadWrite("\"changes\" must be a non-empty array");
    }
    if (changes.size() > MAX_CHANGES) {
      throw new BadWrite("at most " + MAX_CHANGES + " changes in one write, not " + changes.size());
    }
    long base = BackendWrite.AT_HEAD;
    JsonNode given = body.get("baseVersion");
    if (given != null && !given.isNull()) {
      if (!given.canConvertToLong() || !given.isIntegralNumber() || given.asLong() < 0) {
        throw new BadWrite("\"baseVersion\" must be a version number, not " + given);
      }
      base = given.asLong();
    }
    List<Instruction> instructions = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      new Change("changes[" + i + "]", changes.get(i), model).addTo(instructions);
    }
    return new Write(List.copyOf(instructions), base);
  }

  /** One change of the list, read with its place for the refusals. */
  private record Change(String where, JsonNode node, Model model) {

    void addTo(List<Instruction> instructions) {
      if (!node.isObject()) {
        throw bad("must be an object");
      }
      Entity entity = entity();
      ObjectKey key = new ObjectKey(entity.name(), id());
      String op = text("op");
      switch (op) {
        case "create" -> {
          instructions.add(new Instruction.CreateObject(key));
          values(entity, key, instructions, false);
        }
        case "update" -> values(entity, key, instructions, true);
        case "erase" -> instructions.add(new Instruction.EraseObject(key));
        case "add" -> {
          Property property = property(entity, "property");
          if (property.type().valueKind() != ValueKind.INT) {
            throw bad(entity.name() + "." + property.name() + " is not an integer: cannot add");
          }
          instructions.add(new Instruction.AddInteger(key, property.name(), number("delta")));
        }
        case "link" ->
            instructions.add(new Instruction.SetInsert(key, relation(entity), number("target")));
        case "unlink" ->
            instructions.add(new Instruction.SetErase(key, relation(entity), number("target")));
        case "unlinkAll" -> instructions.add(new Instruction.SetClear(key, relation(entity)));
        case "listInsert", "listSet" -> {
          Property list = list(entity);
          Value element = element(entity, list, node.get("value"));
          int index = index("index");
          instructions.add(
              op.equals("listInsert")
                  ? new Instruction.ArrayInsert(key, list.name(), index, element)
                  : new Instruction.ArraySet(key, list.name(), index, element));
        }
        case "listErase" ->
            instructions.add(new Instruction.ArrayErase(key, list(entity).name(), index("index")));
        case "listMove" ->
            instructions.add(
                new Instruction.ArrayMove(key, list(entity).name(), index("from"), index("to")));
        default ->
            throw bad(
                "\"op\" must be create, update, erase, add, link, unlink, unlinkAll, listInsert,"
                    + " listSet, listErase or listMove, not \""
                    + op
                    + "\"");
      }
    }

    private void values(
        Entity entity, ObjectKey key, List<Instruction> instructions, boolean required) {
      JsonNode values = node.get("values");
      if (values == null || values.isNull()) {
        if (required) {
          throw bad("\"values\" must be an object of properties");
        }
        return;
      }
      if (!values.isObject() || (required && values.isEmpty())) {
        throw bad("\"values\" must be an object of properties");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> value = it.next();
        Property property =
            entity
                .property(value.getKey())
                .orElseThrow(
                    () -> bad(entity.name() + " has no property \"" + value.getKey() + "\""));
        if (property.isId()) {
          throw bad(entity.name() + "." + property.name() + " is the id: give it as \"id\"");
        }
        instructions.add(
            new Instruction.Update(
                key, property.name(), value(entity, property, value.getValue())));
      }
    }

    private Value value(Entity entity, Property property, JsonNode json) {
      if (json.isNull()) {
        return new Value.Null();
      }
      ValueKind kind = property.type().valueKind();
      if (kind == ValueKind.VECTOR) {
        if (!json.isArray()) {
          throw typeError(entity, property, json, "an array");
        }
        List<Value> elements = new ArrayList<>(json.size());
        json.forEach(element -> elements.add(element(entity, property, element)));
        return new Value.Vector(elements);
      }
      return scalar(entity, property, kind, json);
    }

    private Value element(Entity entity, Property list, JsonNode json) {
      if (json == null || json.isNull()) {
        throw bad(entity.name() + "." + list.name() + ": a list element cannot be null");
      }
      return scalar(entity, list, list.type().elementKind(), json);
    }

    private Value scalar(Entity entity, Property property, ValueKind kind, JsonNode json) {
      return switch (kind) {
        case BOOL -> {
          if (!json.isBoolean()) {
            throw typeError(entity, property, json, "true or false");
          }
          yield Value.of(json.booleanValue());
        }
        case INT -> {
          if (!json.isIntegralNumber() || !json.canConvertToLong()) {
            throw typeError(entity, property, json, "an integer");
          }
          yield Value.of(json.longValue());
        }
        case FLOAT -> {
          if (!json.isNumber()) {
            throw typeError(entity, property, json, "a number");
          }
          yield Value.of(json.doubleValue());
        }
        case TEXT -> {
          if (!json.isTextual()) {
            throw typeError(entity, property, json, "a string");
          }
          yield Value.of(json.textValue());
        }
        case BYTES -> {
          try {
            if (!json.isTextual()) {
              throw new IllegalArgumentException();
            }
            yield Value.of(Base64.getDecoder().decode(json.textValue()));
          } catch (IllegalArgumentException e) {
            throw typeError(entity, property, json, "a base64 string");
          }
        }
        case VECTOR -> throw typeError(entity, property, json, "a scalar");
      };
    }

    private BadWrite typeError(Entity entity, Property property, JsonNode json, String expected) {
      String shown = json.toString();
      if (shown.length() > 60) {
        shown = shown.substring(0, 60) + "…";
      }
      return bad(entity.name() + "." + property.name() + " must be " + expected + ", not " + shown);
    }

    private Entity entity() {
      String name = text("entity");
      Entity entity =
          model.entity(name).orElseThrow(() -> bad("the model has no entity \"" + name + "\""));
      if (!entity.syncEnabled()) {
        throw bad(name + " is not synced (it has no @Sync)");
      }
      return entity;
    }

    private Property property(Entity entity, String field) {
      String name = text(field);
      return entity
          .property(name)
          .orElseThrow(() -> bad(entity.name() + " has no property \"" + name + "\""));
    }

    private Property list(Entity entity) {
      Property property = property(entity, "property");
      if (property.type().valueKind() != ValueKind.VECTOR) {
        throw bad(entity.name() + "." + property.name() + " is not a list");
      }
      return property;
    }

    private String relation(Entity entity) {
      String name = text("relation");
      if (entity.relations().stream().noneMatch(relation -> relation.name().equals(name))) {
        throw bad(entity.name() + " has no relation \"" + name + "\"");
      }
      return name;
    }

    private long id() {
      long id = number("id");
      if (id <= 0) {
        throw bad("\"id\" must be a positive integer, not " + id);
      }
      return id;
    }

    private long number(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
        throw bad("\"" + field + "\" must be an integer");
      }
      return value.longValue();
    }

    private int index(String field) {
      long index = number(field);
      if (index < 0 || index > Integer.MAX_VALUE) {
        throw bad("\"" + field + "\" must be an index from 0, not " + index);
      }
      return (int) index;
    }

    private String text(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isTextual()) {
        throw bad("\"" + field + "\" must be a string");
      }
      return value.textValue();
    }

    private BadWrite bad(String message) {
      return new BadWrite(where + ": " + message);
    }
  }
}

package io.tributary.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the objectbox-model.json format (model version 5). */
public final class ModelParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelParser() {}

  /** Parses a model file's content; {@code source} names the file in error messages. */
  public static Model parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelException(
          source
              + ": not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ModelException(source + ": expected a JSON object with \"entities\"");
    }
    JsonNode entities = root.path("entities");
    if (!entities.isArray()) {
      throw new ModelException(source + ": \"entities\" must be an array");
    }
    List<Entity> parsed = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entities.size(); i++) {
      Entity entity = entity(entities.get(i), source + ": entities[" + i + "]");
      if (!names.add(entity.name())) {
        throw new ModelException(source + ": entity \"" + entity.name() + "\" appears twice");
      }
      parsed.add(entity);
    }
    return new Model(parsed, root.path("modelVersion").asInt(5));
  }

  private static Entity entity(JsonNode node, String at) {
    String name = text(node, "name", at);
    String where = at + " (" + name + ")";
    JsonNode properties = node.path("properties");
    if (!properties.isArray()) {
      throw new ModelException(where + ": \"properties\" must be an array");
    }
    List<Property> parsed = new ArrayList<>();
    for (int i = 0; i < properties.size(); i++) {
      parsed.add(property(properties.get(i), where + ".properties[" + i + "]"));
    }
    long ids = parsed.stream().filter(Property::isId).count();
    if (ids != 1) {
      throw new ModelException(where + ": needs exactly one ID property (flag 1), has " + ids);
    }
    List<Property> precedence =
        parsed.stream().filter(p -> p.hasFlag(Property.FLAG_SYNC_PRECEDENCE)).toList();
    if (precedence.size() > 1
        || precedence.stream().anyMatch(p -> p.type().valueKind() != ValueKind.INT)) {
      throw new ModelException(
          where + ": at most one SYNC_PRECEDENCE property (flag 262144), of an integer type");
    }
    List<Relation> relations = new ArrayList<>();
    JsonNode relationNodes = node.path("relations");
    for (int i = 0; i < relationNodes.size(); i++) {
      JsonNode relation = relationNodes.get(i);
      String relationAt = where + ".relations[" + i + "]";
      relations.add(
          new Relation(
              text(relation, "name", relationAt),
              idUid(relation, "id", relationAt),
              idUid(relation, "targetId", relationAt)));
    }
    return new Entity(
        name, idUid(node, "id", where), node.path("flags").asInt(0), parsed, relations);
  }

  private static Property property(JsonNode node, String at) {
    String name = text(node, "name", at);
    String where = at + " (" + name + ")";
    int code = node.path("type").asInt(-1);
    PropertyType type =
        PropertyType.ofCode(code)
            .orElseThrow(() -> new ModelException(where + ": unknown property type " + code));
    String target = node.hasNonNull("relationTarget") ? node.get("relationTarget").asText() : null;
    return new Property(name, idUid(node, "id", where), type, node.path("flags").asInt(0), target);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new ModelException(where + ": \"" + field + "\" must be a non-empty string");
    }
    return value.asText();
  }

  private static IdUid idUid(JsonNode node, String field, String where) {
    try {
      return IdUid.parse(text(node, field, where));
    } catch (IllegalArgumentException e) {
      throw new ModelException(where + ": \"" + field + "\": " + e.getMessage());
    }
  }
}

package io.tributary.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the objectbox-model.json format (model version 5). Every refusal names the file and the
 * place in it, e.g. {@code m.json: entities[0] (Note).properties[1] (x): unknown property type 99}.
 */
public final class ModelParser {

  /** The newest model format this parser reads. */
  public static final int MODEL_VERSION = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelParser() {}

  /** Parses a model file's content; {@code source} names the file in error messages. */
  public static Model parse(String json, String source) {
    JsonNode root = readTree(json, source);
    int parserMinimum = root.path("modelVersionParserMinimum").asInt(MODEL_VERSION);
    if (parserMinimum > MODEL_VERSION) {
      throw new ModelException(
          source
              + ": written for model format "
              + parserMinimum
              + " or newer; this server reads format "
              + MODEL_VERSION);
    }
    RetiredUids retired =
        new RetiredUids(
            uids(root, "retiredEntityUids", source),
            uids(root, "retiredPropertyUids", source),
            uids(root, "retiredRelationUids", source),
            uids(root, "retiredIndexUids", source));
    JsonNode entities = root.path("entities");
    if (!entities.isArray()) {
      throw new ModelException(source + ": \"entities\" must be an array");
    }
    List<Entity> parsed = new ArrayList<>();
    for (int i = 0; i < entities.size(); i++) {
      parsed.add(entity(entities.get(i), source + ": entities[" + i + "]", retired));
    }
    Model model = new Model(parsed, root.path("modelVersion").asInt(MODEL_VERSION), retired);
    checkUnique(model, source);
    checkRelationTargets(model, source);
    return model;
  }

  private static JsonNode readTree(String json, String source) {
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
    return root;
  }

  private static Entity entity(JsonNode node, String at, RetiredUids retired) {
    String name = text(node, "name", at);
    String where = at + " (" + name + ")";
    IdUid id = idUid(node, "id", where);
    notRetired(id, retired.entities(), where);
    JsonNode properties = node.path("properties");
    if (!properties.isArray()) {
      throw new ModelException(where + ": \"properties\" must be an array");
    }
    List<Property> parsed = new ArrayList<>();
    for (int i = 0; i < properties.size(); i++) {
      String propertyAt = where + ".properties[" + i + "]";
      Property property = property(properties.get(i), propertyAt);
      notRetired(property.id(), retired.properties(), propertyAt + " (" + property.name() + ")");
      parsed.add(property);
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
    if (!relationNodes.isMissingNode() && !relationNodes.isArray()) {
      throw new ModelException(where + ": \"relations\" must be an array");
    }
    for (int i = 0; i < relationNodes.size(); i++) {
      JsonNode relation = relationNodes.get(i);
      String relationName = text(relation, "name", where + ".relations[" + i + "]");
      String relationAt = where + ".relations[" + i + "] (" + relationName + ")";
      Relation parsedRelation =
          new Relation(
              relationName,
              idUid(relation, "id", relationAt),
              idUid(relation, "targetId", relationAt));
      notRetired(parsedRelation.id(), retired.relations(), relationAt);
      relations.add(parsedRelation);
    }
    return new Entity(name, id, integer(node, "flags", where), parsed, relations);
  }

  private static Property property(JsonNode node, String at) {
    String name = text(node, "name", at);
    String where = at + " (" + name + ")";
    int code = node.path("type").asInt(-1);
    PropertyType type =
        PropertyType.ofCode(code)
            .orElseThrow(
                () ->
                    new ModelException(
                        where + ": unknown property type " + node.path("type").asText("(none)")));
    String target = node.hasNonNull("relationTarget") ? node.get("relationTarget").asText() : null;
    if (type == PropertyType.RELATION && target == null) {
      throw new ModelException(where + ": a to-one relation (type 11) needs \"relationTarget\"");
    }
    IdUid index = node.has("indexId") ? idUid(node, "indexId", where) : IdUid.NONE;
    return new Property(
        name, idUid(node, "id", where), type, integer(node, "flags", where), target, index);
  }

  /** Names and uids must each identify one thing: a duplicate would merge two into one. */
  private static void checkUnique(Model model, String source) {
    Set<String> names = new HashSet<>();
    Set<Long> uids = new HashSet<>();
    for (Entity entity : model.entities()) {
      String where = source + ": entity " + entity.name();
      if (!names.add(entity.name())) {
        throw new ModelException(source + ": entity \"" + entity.name() + "\" appears twice");
      }
      if (!uids.add(entity.id().uid())) {
        throw new ModelException(where + ": uid " + entity.id() + " is used twice");
      }
      Set<String> memberNames = new HashSet<>();
      for (Property property : entity.properties()) {
        if (!memberNames.add(property.name())) {
          throw new ModelException(where + ": property \"" + property.name() + "\" appears twice");
        }
        if (!uids.add(property.id().uid())) {
          throw new ModelException(
              where + "." + property.name() + ": uid " + property.id() + " is used twice");
        }
      }
      // Relations share the namespace of properties: a changeset names either by its name.
      for (Relation relation : entity.relations()) {
        if (!memberNames.add(relation.name())) {
          throw new ModelException(
              where + ": relation \"" + relation.name() + "\" has the name of another member");
        }
        if (!uids.add(relation.id().uid())) {
          throw new ModelException(
              where + "." + relation.name() + ": uid " + relation.id() + " is used twice");
        }
      }
    }
  }

  private static void checkRelationTargets(Model model, String source) {
    for (Entity entity : model.entities()) {
      for (Property property : entity.properties()) {
        if (property.relationTarget() != null
            && model.entity(property.relationTarget()).isEmpty()) {
          throw new ModelException(
              source
                  + ": entity "
                  + entity.name()
                  + "."
                  + property.name()
                  + ": relationTarget \""
                  + property.relationTarget()
                  + "\" is not an entity of the model");
        }
      }
      for (Relation relation : entity.relations()) {
        if (model.entityByUid(relation.targetId().uid()).isEmpty()) {
          throw new ModelException(
              source
                  + ": entity "
                  + entity.name()
                  + ", relation "
                  + relation.name()
                  + ": targetId "
                  + relation.targetId()
                  + " is not an entity of the model");
        }
      }
    }
  }

  private static void notRetired(IdUid id, Set<Long> retired, String where) {
    if (retired.contains(id.uid())) {
      throw new ModelException(
          where + ": uid " + Long.toUnsignedString(id.uid()) + " is retired and cannot be reused");
    }
  }

  private static Set<Long> uids(JsonNode root, String field, String source) {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw new ModelException(source + ": \"" + field + "\" must be an array of uids");
    }
    Set<Long> uids = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode uid = node.get(i);
      try {
        if (!uid.isIntegralNumber()) {
          throw new NumberFormatException();
        }
        // Uids are unsigned 64-bit: the biggest ones do not fit a signed long.
        uids.add(Long.parseUnsignedLong(uid.asText()));
      } catch (NumberFormatException e) {
        throw new ModelException(
            source + ": " + field + "[" + i + "]: expected a uid but was " + uid);
      }
    }
    return uids;
  }

  private static int integer(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isInt()) {
      throw new ModelException(where + ": \"" + field + "\" must be an integer, was " + value);
    }
    return value.intValue();
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new ModelException(where + ": \"" + field + "\" must be a non-empty string");
    }
    return value.asText();
  }

  private static IdUid idUid(JsonNode node, String field, String where) {
    IdUid id;
    try {
      id = IdUid.parse(text(node, field, where));
    } catch (IllegalArgumentException e) {
      throw new ModelException(where + ": \"" + field + "\": " + e.getMessage());
    }
    if (id.uid() == 0) {
      throw new ModelException(where + ": \"" + field + "\": uid 0 is not a uid");
    }
    return id;
  }
}

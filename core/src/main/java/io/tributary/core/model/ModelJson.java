package io.tributary.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Set;

/**
 * Writes a model in the objectbox-model.json format, so that a stored schema version reads back as
 * the same model: {@code ModelParser.parse(ModelJson.write(m), ...)} equals {@code m}.
 */
public final class ModelJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelJson() {}

  public static String write(Model model) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode entities = root.putArray("entities");
    model.entities().forEach(entity -> entities.add(entity(entity)));
    root.put("modelVersion", model.modelVersion());
    root.put("modelVersionParserMinimum", ModelParser.MODEL_VERSION);
    uids(root.putArray("retiredEntityUids"), model.retired().entities());
    uids(root.putArray("retiredIndexUids"), model.retired().indexes());
    uids(root.putArray("retiredPropertyUids"), model.retired().properties());
    uids(root.putArray("retiredRelationUids"), model.retired().relations());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static ObjectNode entity(Entity entity) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", entity.id().toString());
    node.put("name", entity.name());
    if (entity.flags() != 0) {
      node.put("flags", entity.flags());
    }
    ArrayNode properties = node.putArray("properties");
    entity.properties().forEach(property -> properties.add(property(property)));
    ArrayNode relations = node.putArray("relations");
    for (Relation relation : entity.relations()) {
      relations
          .addObject()
          .put("id", relation.id().toString())
          .put("name", relation.name())
          .put("targetId", relation.targetId().toString());
    }
    return node;
  }

  private static ObjectNode property(Property property) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", property.id().toString());
    node.put("name", property.name());
    if (!property.indexId().equals(IdUid.NONE)) {
      node.put("indexId", property.indexId().toString());
    }
    node.put("type", property.type().code());
    if (property.flags() != 0) {
      node.put("flags", property.flags());
    }
    if (property.relationTarget() != null) {
      node.put("relationTarget", property.relationTarget());
    }
    return node;
  }

  private static void uids(ArrayNode array, Set<Long> uids) {
    uids.stream()
        .sorted(Long::compareUnsigned)
        .forEach(uid -> array.add(new BigInteger(Long.toUnsignedString(uid))));
  }
}

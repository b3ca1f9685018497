package io.tributary.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;

/**
 * The JSON view of a dataset's objects: {"Entity": {"id": {"property": value}}}, everything sorted,
 * bytes as base64. Used by the admin API and to compare replicas.
 */
public final class StateJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StateJson() {}

  public static ObjectNode of(SortedMap<ObjectKey, SortedMap<String, Value>> objects) {
    ObjectNode root = JSON.objectNode();
    for (Map.Entry<ObjectKey, SortedMap<String, Value>> object : objects.entrySet()) {
      ObjectNode entity = root.with(object.getKey().entity());
      ObjectNode properties = entity.putObject(Long.toString(object.getKey().id()));
      object.getValue().forEach((name, value) -> properties.set(name, json(value)));
    }
    return root;
  }

  private static JsonNode json(Value value) {
    if (value instanceof Value.Bool bool) {
      return JSON.booleanNode(bool.value());
    } else if (value instanceof Value.Int integer) {
      return JSON.numberNode(integer.value());
    } else if (value instanceof Value.Float floating) {
      return JSON.numberNode(floating.value());
    } else if (value instanceof Value.Text text) {
      return JSON.textNode(text.value());
    } else if (value instanceof Value.Bytes bytes) {
      return JSON.textNode(Base64.getEncoder().encodeToString(bytes.value()));
    } else if (value instanceof Value.Ids ids) {
      ArrayNode array = JSON.arrayNode();
      ids.ids().forEach(array::add);
      return array;
    } else if (value instanceof Value.Vector vector) {
      ArrayNode array = JSON.arrayNode();
      vector.elements().forEach(element -> array.add(json(element)));
      return array;
    }
    return JSON.nullNode();
  }
}

package io.tributary.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dataset states in a form whose differences are readable in a failed assertion, and that compares
 * by text: Jackson's trees tell an int node from a long node of the same number.
 */
public final class States {

  private States() {}

  /** "Entity/id" → properties as JSON, from a {@code StateJson} document. */
  public static Map<String, String> flatten(JsonNode state) {
    Map<String, String> objects = new TreeMap<>();
    state
        .fields()
        .forEachRemaining(
            entity ->
                entity
                    .getValue()
                    .fields()
                    .forEachRemaining(
                        object ->
                            objects.put(
                                entity.getKey() + "/" + object.getKey(),
                                object.getValue().toString())));
    return objects;
  }
}

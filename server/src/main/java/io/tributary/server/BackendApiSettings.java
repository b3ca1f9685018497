package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The backend API's settings: where it listens and the API keys backends present, by name. It runs
 * where a gateway runs, once there is a way in: an API key, or JWTs ({@code auth.jwt}).
 *
 * @param keys API key by the name logs and permission rules ({@code claims.name}) know it by
 */
record BackendApiSettings(HostPort bind, Map<String, String> keys) {

  static final String DEFAULT_BIND = "127.0.0.1:9982";
  private static final int SHORTEST_KEY = 24;

  static BackendApiSettings resolve(SettingOptions cli, ConfigFile file) {
    String where = cli.backendApi != null ? "--backend-api" : file.where("backendApi.bind");
    String text =
        cli.backendApi != null ? cli.backendApi : file.text("backendApi.bind").orElse(DEFAULT_BIND);
    HostPort bind = HostPort.parse(where, text, 9982, DEFAULT_BIND);
    if (bind.scheme() != null && !bind.scheme().equals("http")) {
      throw new IllegalArgumentException(
          where + " is plain HTTP: give host:port, not \"" + text + "\"");
    }
    return new BackendApiSettings(
        new HostPort(null, bind.host(), bind.port()), keys(file, file.node("backendApi.keys")));
  }

  private static Map<String, String> keys(ConfigFile file, Optional<JsonNode> list) {
    Map<String, String> keys = new LinkedHashMap<>();
    if (list.isEmpty()) {
      return keys;
    }
    for (int i = 0; i < list.get().size(); i++) {
      String where = file.where("backendApi.keys") + "[" + i + "]";
      JsonNode entry = list.get().get(i);
      JsonNode name = entry.get("name");
      JsonNode key = entry.get("key");
      if (!entry.isObject()
          || name == null
          || !name.isTextual()
          || name.asText().isBlank()
          || key == null
          || !key.isTextual()) {
        throw new IllegalArgumentException(
            where + " must be {\"name\": \"...\", \"key\": \"...\"}");
      }
      if (key.asText().length() < SHORTEST_KEY || !key.asText().equals(key.asText().strip())) {
        throw new IllegalArgumentException(
            where + ".key must be at least " + SHORTEST_KEY + " characters, without spaces around");
      }
      if (keys.put(name.asText(), key.asText()) != null) {
        throw new IllegalArgumentException(where + ".name \"" + name.asText() + "\" is taken");
      }
      if (keys.values().stream().filter(key.asText()::equals).count() > 1) {
        throw new IllegalArgumentException(where + ".key is the key of another name");
      }
    }
    return Map.copyOf(keys);
  }
}

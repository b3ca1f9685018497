package io.tributary.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON configuration file (ObjectBox's {@code sync-server-config.json}): the command line's
 * settings in camelCase. Keys starting with {@code _} are comments; an unknown key or a value of
 * the wrong type stops the start with one line naming it.
 *
 * @param values the settings the file gives, by key (nested {@code auth} keys as {@code
 *     auth.sharedSecret})
 */
record ConfigFile(Path file, Map<String, JsonNode> values) {

  /** The keys a file may hold, and the JSON type each must have. */
  private static final Map<String, String> KEYS =
      Map.ofEntries(
          Map.entry("modelFile", "string"),
          Map.entry("dbDirectory", "string"),
          Map.entry("dbMaxSize", "string"),
          Map.entry("bind", "string"),
          Map.entry("adminBind", "string"),
          Map.entry("adminHosts", "list of strings"),
          Map.entry("adminProxies", "list of strings"),
          Map.entry("adminOff", "boolean"),
          Map.entry("unsecuredNoAuthentication", "boolean"),
          Map.entry("certificatePath", "string"),
          Map.entry("adminCertificatePath", "string"),
          Map.entry("logLevel", "string"),
          Map.entry("debug", "boolean"),
          Map.entry("kafkaBootstrap", "string"),
          Map.entry("idleTimeout", "number"),
          Map.entry("handshakeTimeout", "number"),
          Map.entry("slowReaderTimeout", "number"),
          Map.entry("maxSessionsPerConnection", "number"),
          Map.entry("maxUploadsInFlight", "number"),
          Map.entry("maxGatewayUploadsInFlight", "number"),
          Map.entry("maxHandshakes", "number"),
          Map.entry("maxConnections", "number"),
          Map.entry("maxConnectionsPerAddress", "number"),
          Map.entry("maxUploadsPerSecond", "number"),
          Map.entry("uploadBurst", "number"),
          Map.entry("topicPrefix", "string"),
          Map.entry("partitions", "number"),
          Map.entry("replicationFactor", "number"),
          Map.entry("materializerUrl", "string"),
          Map.entry("readApi", "string"),
          Map.entry("readApiUrl", "string"),
          Map.entry("standbyReplicas", "number"),
          Map.entry("sessionTimeoutMs", "number"),
          Map.entry("checkpointEvery", "number"),
          Map.entry("changeEvents", "string"),
          Map.entry("auth.sharedSecret", "string"),
          Map.entry("auth.jwt.secret", "string"),
          Map.entry("auth.jwt.publicKeysFile", "string"),
          Map.entry("auth.jwt.jwksUrl", "string"),
          Map.entry("auth.jwt.issuer", "string"),
          Map.entry("auth.jwt.audiences", "list of strings"),
          Map.entry("auth.jwt.requiredClaims", "list of strings"),
          Map.entry("auth.jwt.leewaySeconds", "number"),
          Map.entry("auth.jwt.jwksCacheSeconds", "number"),
          Map.entry("auth.jwt.jwksRefreshAtMostSeconds", "number"),
          Map.entry("auth.jwt.jwksOutageToleranceSeconds", "number"),
          Map.entry("permissions.unsecured", "list of rules"),
          Map.entry("permissions.sharedSecret", "list of rules"),
          Map.entry("permissions.jwt", "list of rules"),
          Map.entry("permissions.apiKey", "list of rules"),
          Map.entry("backendApi.bind", "string"),
          Map.entry("backendApi.keys", "list of keys"),
          Map.entry("adminAuth.username", "string"),
          Map.entry("adminAuth.password", "string"));

  /** Keys whose value is an object of more keys. */
  private static final java.util.Set<String> SECTIONS =
      java.util.Set.of("auth", "auth.jwt", "adminAuth", "permissions", "backendApi");

  static ConfigFile empty() {
    return new ConfigFile(null, Map.of());
  }

  /** Reads and checks {@code file}. */
  static ConfigFile read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file
              + ": not valid JSON at line "
              + e.getLocation().getLineNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": must hold one JSON object");
    }
    Map<String, JsonNode> values = new java.util.TreeMap<>();
    collect(file, "", root, values);
    return new ConfigFile(file, values);
  }

  private static void collect(
      Path file, String prefix, JsonNode node, Map<String, JsonNode> values) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix + field.getKey();
      if (field.getKey().startsWith("_")) {
        continue; // A comment.
      }
      if (SECTIONS.contains(key)) {
        if (!field.getValue().isObject()) {
          throw new IllegalArgumentException(
              file + ": \"" + key + "\" must be an object, not " + field.getValue());
        }
        collect(file, key + ".", field.getValue(), values);
        continue;
      }
      String type = KEYS.get(key);
      if (type == null) {
        throw new IllegalArgumentException(file + ": unknown key \"" + key + "\"");
      }
      JsonNode value = field.getValue();
      boolean fits =
          switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "list of strings" ->
                value.isArray()
                    && java.util.stream.StreamSupport.stream(value.spliterator(), false)
                        .allMatch(JsonNode::isTextual);
            case "list of rules", "list of keys" -> value.isArray();
            default -> value.isNumber();
          };
      if (!fits) {
        throw new IllegalArgumentException(
            file + ": \"" + key + "\" must be a " + type + ", not " + value);
      }
      values.put(key, value);
    }
  }

  /** The value of {@code key}, if the file gives it. */
  Optional<JsonNode> node(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Where a key's value comes from, for a message: the file and the key. */
  String where(String key) {
    return file == null ? key : file + ": " + key;
  }

  Optional<String> text(String key) {
    return Optional.ofNullable(values.get(key)).map(JsonNode::asText);
  }

  Optional<Boolean> flag(String key) {
    return Optional.ofNullable(values.get(key)).map(JsonNode::asBoolean);
  }

  Optional<Long> number(String key) {
    return Optional.ofNullable(values.get(key)).map(JsonNode::asLong);
  }

  Optional<Path> path(String key) {
    return text(key).map(Path::of);
  }

  Optional<URI> uri(String key) {
    return text(key).map(URI::create);
  }
}

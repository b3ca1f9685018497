package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.auth.Access;
import io.tributary.core.auth.AuthMethod;
import io.tributary.core.auth.ClaimPath;
import io.tributary.core.auth.DatasetRule;
import io.tributary.core.auth.DatasetTemplate;
import io.tributary.core.auth.Permissions;
import io.tributary.gateway.jwt.JwksCaching;
import io.tributary.gateway.jwt.JwtRules;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * The configuration's {@code auth} and {@code permissions}: how clients prove who they are, and
 * which datasets each may use how. Checked whole at start-up; a bad value stops the start with one
 * line naming it.
 *
 * @param sharedSecret the token every client may present
 * @param jwt how JSON Web Tokens are verified, if they are accepted
 * @param permissions the rules per method
 */
record AuthSettings(Optional<String> sharedSecret, Optional<Jwt> jwt, Permissions permissions) {

  /**
   * How JWTs are verified: by any of the keys given (an HMAC secret, PEM public keys, a JWKS URL),
   * with the same rules.
   */
  record Jwt(
      Optional<byte[]> secret,
      Optional<String> publicKeysPem,
      Optional<URL> jwksUrl,
      JwksCaching jwksCaching,
      JwtRules rules) {}

  /** Whether any method of authentication is configured. */
  boolean any() {
    return sharedSecret.isPresent() || jwt.isPresent();
  }

  static AuthSettings resolve(ConfigFile file) {
    return new AuthSettings(
        file.text("auth.sharedSecret").map(AuthSettings::sharedSecret),
        jwt(file),
        permissions(file));
  }

  private static Optional<Jwt> jwt(ConfigFile file) {
    Optional<String> secret = file.text("auth.jwt.secret");
    Optional<String> pem = file.text("auth.jwt.publicKeysFile").map(name -> pem(file, name));
    Optional<URL> jwks = file.text("auth.jwt.jwksUrl").map(url -> jwksUrl(file, url));
    boolean anyRule = file.values().keySet().stream().anyMatch(key -> key.startsWith("auth.jwt."));
    if (secret.isEmpty() && pem.isEmpty() && jwks.isEmpty()) {
      if (anyRule) {
        throw new IllegalArgumentException(
            file.where("auth.jwt")
                + " needs the keys that sign the tokens: secret, publicKeysFile or jwksUrl");
      }
      return Optional.empty();
    }
    secret.ifPresent(
        text -> {
          if (text.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                file.where("auth.jwt.secret")
                    + " must be at least 32 bytes (HS256 needs 256 bits)");
          }
        });
    JwtRules rules =
        new JwtRules(
            file.text("auth.jwt.issuer"),
            Set.copyOf(strings(file, "auth.jwt.audiences")),
            Set.copyOf(strings(file, "auth.jwt.requiredClaims")),
            Duration.ofSeconds(leeway(file)));
    return Optional.of(
        new Jwt(
            secret.map(text -> text.getBytes(StandardCharsets.UTF_8)),
            pem,
            jwks,
            jwksCaching(file),
            rules));
  }

  /**
   * How long JWKS keys are cached, how often an unknown key id may fetch them again, and how long
   * they outlive an outage of the URL.
   */
  private static JwksCaching jwksCaching(ConfigFile file) {
    JwksCaching defaults = JwksCaching.DEFAULTS;
    Duration cacheFor = seconds(file, "auth.jwt.jwksCacheSeconds", defaults.cacheFor());
    Duration refreshAtMost =
        seconds(file, "auth.jwt.jwksRefreshAtMostSeconds", defaults.refreshAtMost());
    Duration outage =
        seconds(file, "auth.jwt.jwksOutageToleranceSeconds", defaults.outageTolerance());
    Duration fetchTimeout =
        defaults.fetchTimeout().compareTo(cacheFor.dividedBy(2)) < 0
            ? defaults.fetchTimeout()
            : cacheFor.dividedBy(2);
    if (refreshAtMost.compareTo(cacheFor) >= 0) {
      throw new IllegalArgumentException(
          file.where("auth.jwt.jwksRefreshAtMostSeconds")
              + " must be shorter than jwksCacheSeconds");
    }
    return new JwksCaching(cacheFor, refreshAtMost, outage, fetchTimeout);
  }

  private static Duration seconds(ConfigFile file, String key, Duration fallback) {
    Optional<JsonNode> node = file.node(key);
    if (node.isEmpty()) {
      return fallback;
    }
    double seconds = node.get().asDouble();
    if (!(seconds > 0) || seconds > 7 * 24 * 3600) {
      throw new IllegalArgumentException(
          file.where(key) + " must be a positive number of seconds, not " + node.get());
    }
    return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
  }

  private static long leeway(ConfigFile file) {
    long seconds = file.number("auth.jwt.leewaySeconds").orElse(60L);
    if (seconds < 0 || seconds > 3600) {
      throw new IllegalArgumentException(
          file.where("auth.jwt.leewaySeconds") + " must be 0 to 3600 seconds, not " + seconds);
    }
    return seconds;
  }

  private static String pem(ConfigFile file, String name) {
    Path path = file.file() == null ? Path.of(name) : file.file().resolveSibling(name);
    try {
      String text = Files.readString(path);
      if (!text.contains("-----BEGIN")) {
        throw new IllegalArgumentException(
            file.where("auth.jwt.publicKeysFile") + ": " + path + " holds no PEM block");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file.where("auth.jwt.publicKeysFile") + ": cannot read " + path + ": " + e.getMessage());
    }
  }

  private static URL jwksUrl(ConfigFile file, String text) {
    try {
      URI uri = URI.create(text.trim());
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri.toURL();
    } catch (IllegalArgumentException | MalformedURLException e) {
      throw new IllegalArgumentException(
          file.where("auth.jwt.jwksUrl") + " must be an https:// URL, not \"" + text + "\"");
    }
  }

  private static List<String> strings(ConfigFile file, String key) {
    return file.node(key)
        .map(node -> StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList())
        .orElse(List.of());
  }

  /**
   * The rules of {@code permissions}, by method: {@code "jwt": [{"dataset": ..., "access": ...}]}.
   */
  private static Permissions permissions(ConfigFile file) {
    Map<AuthMethod, List<DatasetRule>> rules = new EnumMap<>(AuthMethod.class);
    for (AuthMethod method : AuthMethod.values()) {
      String key = "permissions." + method.configName();
      file.node(key).ifPresent(node -> rules.put(method, rules(file, key, node)));
    }
    return new Permissions(rules);
  }

  private static List<DatasetRule> rules(ConfigFile file, String key, JsonNode list) {
    List<DatasetRule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file.where(key) + "[" + i + "]";
      try {
        rules.add(rule(list.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return rules;
  }

  private static DatasetRule rule(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a rule is an object, not " + node);
    }
    Map<ClaimPath, String> when = new LinkedHashMap<>();
    String dataset = null;
    String access = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      switch (field.getKey()) {
        case "dataset" -> dataset = text(field);
        case "access" -> access = text(field);
        case "when" -> when = conditions(field.getValue());
        default -> {
          if (!field.getKey().startsWith("_")) {
            throw new IllegalArgumentException(
                "unknown key \"" + field.getKey() + "\" (a rule has dataset, access and when)");
          }
        }
      }
    }
    if (dataset == null || access == null) {
      throw new IllegalArgumentException("a rule needs \"dataset\" and \"access\"");
    }
    return new DatasetRule(DatasetTemplate.parse(dataset), Access.ofConfigName(access), when);
  }

  private static String text(Map.Entry<String, JsonNode> field) {
    if (!field.getValue().isTextual()) {
      throw new IllegalArgumentException(
          "\"" + field.getKey() + "\" must be a string, not " + field.getValue());
    }
    return field.getValue().asText();
  }

  /** {@code "when": {"claims.roles": "admin"}}: each claim must hold the value. */
  private static Map<ClaimPath, String> conditions(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("\"when\" maps claims to values, not " + node);
    }
    Map<ClaimPath, String> when = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> condition = it.next();
      if (!condition.getValue().isValueNode() || condition.getValue().isNull()) {
        throw new IllegalArgumentException(
            "\"when\": " + condition.getKey() + " must be a string or a number");
      }
      when.put(ClaimPath.parse(condition.getKey()), condition.getValue().asText());
    }
    return when;
  }

  /**
   * A shared secret that a token can match: the bearer value is trimmed, so a secret with spaces
   * around it, or an empty one, would refuse every client.
   */
  private static String sharedSecret(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("auth.sharedSecret must not be empty");
    }
    if (!secret.equals(secret.strip())) {
      throw new IllegalArgumentException(
          "auth.sharedSecret must not begin or end with spaces: no token could match it");
    }
    return secret;
  }
}

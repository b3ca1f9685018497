package io.tributary.core.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a value sits in a token's claims, as permission rules name it: {@code sub}, {@code
 * claims.teams}, {@code claims.org.id}, {@code claims["https://example.com/roles"]}; a trailing
 * {@code [*]} takes each element of a list.
 *
 * @param names the claim names from the top, e.g. {@code [org, id]}
 * @param eachElement whether the path ends in {@code [*]}
 * @param text the path as configured, for messages
 */
public record ClaimPath(List<String> names, boolean eachElement, String text) {

  private static final Pattern SEGMENT =
      Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[\"([^\"]+)\"]");

  public ClaimPath {
    names = List.copyOf(names);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException naming what is wrong, for a configuration error
   */
  public static ClaimPath parse(String text) {
    if (text.equals("sub")) {
      return new ClaimPath(List.of("sub"), false, text);
    }
    if (!text.startsWith("claims")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a claim: write sub, claims.<name> or claims[\"<name>\"]");
    }
    boolean each = text.endsWith("[*]");
    String rest = text.substring("claims".length(), text.length() - (each ? 3 : 0));
    List<String> names = new ArrayList<>();
    Matcher segment = SEGMENT.matcher(rest);
    int at = 0;
    while (at < rest.length()) {
      if (!segment.find(at) || segment.start() != at) {
        throw new IllegalArgumentException(
            "\""
                + text
                + "\" is not a claim path: write claims.<name>, claims[\"<name>\"], then"
                + " optionally [*]");
      }
      names.add(segment.group(1) != null ? segment.group(1) : segment.group(2));
      at = segment.end();
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("\"" + text + "\" names no claim");
    }
    return new ClaimPath(names, each, text);
  }

  /**
   * The values at this path: one value, each element of a list for {@code [*]} (a single value
   * counts as a list of one, as some identity providers send one group so), nothing where the path
   * leads nowhere. A list without {@code [*]} is no value: a rule says which it means.
   */
  public List<Object> valuesIn(Map<String, Object> claims) {
    Object value = claims;
    for (String name : names) {
      if (!(value instanceof Map<?, ?> map)) {
        return List.of();
      }
      value = map.get(name);
    }
    if (value == null) {
      return List.of();
    }
    if (eachElement && value instanceof List<?> list) {
      return list.stream().filter(element -> element != null).map(Object.class::cast).toList();
    }
    if (eachElement) {
      return value instanceof Map<?, ?> ? List.of() : List.of(value); // One group, not a list.
    }
    return value instanceof List<?> || value instanceof Map<?, ?> ? List.of() : List.of(value);
  }

  @Override
  public String toString() {
    return text;
  }
}

package io.tributary.core.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The datasets a permission rule is about: literal text, {@code *} for any run of dataset-name
 * characters, and placeholders that a token's claims fill in, e.g. {@code user-{sub}}, {@code
 * team-{claims.teams[*]}}, {@code public}, {@code demo-*}.
 *
 * <p>A claim's value fills a placeholder only if it is a string or an integer made of dataset-name
 * characters: a claim cannot widen a rule ({@code *} in a claim is no wildcard) nor reach a dataset
 * by a name the dataset could not have.
 */
public final class DatasetTemplate {

  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._*-]*");
  private static final String ANY_NAME_CHARACTERS = "[A-Za-z0-9._-]*";
  private static final Pattern CLAIM_VALUE = Pattern.compile("[A-Za-z0-9._-]+");

  /** Literal text (a String) and placeholders (a ClaimPath), in order. */
  private final List<Object> parts;

  private final String text;

  private DatasetTemplate(List<Object> parts, String text) {
    this.parts = List.copyOf(parts);
    this.text = text;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException naming what is wrong, for a configuration error
   */
  public static DatasetTemplate parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a dataset rule needs a dataset name or pattern");
    }
    List<Object> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf('{', at);
      String literal = text.substring(at, open < 0 ? text.length() : open);
      if (!LITERAL.matcher(literal).matches()) {
        throw new IllegalArgumentException(
            "dataset pattern \""
                + text
                + "\": outside {placeholders} only letters, digits, '.', '_', '-' and '*' may"
                + " appear");
      }
      if (!literal.isEmpty()) {
        parts.add(literal);
      }
      if (open < 0) {
        break;
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("dataset pattern \"" + text + "\": '{' without '}'");
      }
      parts.add(ClaimPath.parse(text.substring(open + 1, close)));
      at = close + 1;
    }
    return new DatasetTemplate(parts, text);
  }

  /**
   * Whether {@code dataset} is one of the datasets this template gives a token with {@code claims}.
   */
  public boolean matches(String dataset, Map<String, Object> claims) {
    StringBuilder regex = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String literal) {
        regex.append(literalRegex(literal));
      } else {
        List<String> values = claimValues((ClaimPath) part, claims);
        if (values.isEmpty()) {
          return false; // The claim is missing: the rule gives this token nothing.
        }
        regex.append(
            values.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")")));
      }
    }
    return Pattern.matches(regex.toString(), dataset);
  }

  /** A literal part: quoted, with each {@code *} any run of dataset-name characters. */
  private static String literalRegex(String literal) {
    return Arrays.stream(literal.split("\\*", -1))
        .map(piece -> piece.isEmpty() ? "" : Pattern.quote(piece))
        .collect(Collectors.joining(ANY_NAME_CHARACTERS));
  }

  private static List<String> claimValues(ClaimPath path, Map<String, Object> claims) {
    return path.valuesIn(claims).stream()
        .map(DatasetTemplate::asNamePart)
        .filter(value -> value != null)
        .toList();
  }

  /** A claim's value as part of a dataset name, or null if it cannot be one. */
  private static String asNamePart(Object value) {
    String text =
        value instanceof String string
            ? string
            : value instanceof Long
                    || value instanceof Integer
                    || value instanceof java.math.BigInteger
                ? value.toString()
                : null;
    return text != null && CLAIM_VALUE.matcher(text).matches() ? text : null;
  }

  @Override
  public String toString() {
    return text;
  }
}

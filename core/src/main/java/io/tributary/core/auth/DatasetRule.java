package io.tributary.core.auth;

import java.util.List;
import java.util.Map;

/**
 * One permission rule: the datasets of a template, with an access, for tokens whose claims satisfy
 * every condition of {@code when} (a claim equal to the value, or a list of claims holding it).
 *
 * @param when conditions on claims; empty for every token of the method
 */
public record DatasetRule(DatasetTemplate datasets, Access access, Map<ClaimPath, String> when) {

  public DatasetRule {
    if (access == Access.NONE) {
      throw new IllegalArgumentException("a rule grants read or read-write access");
    }
    when = Map.copyOf(when);
  }

  /** Every dataset, read-write: what a shared secret grants without rules of its own. */
  public static final DatasetRule EVERYTHING =
      new DatasetRule(DatasetTemplate.parse("*"), Access.READ_WRITE, Map.of());

  /** What this rule grants a token with {@code claims} for {@code dataset}. */
  public Access accessTo(String dataset, Map<String, Object> claims) {
    return applies(claims) && datasets.matches(dataset, claims) ? access : Access.NONE;
  }

  private boolean applies(Map<String, Object> claims) {
    return when.entrySet().stream()
        .allMatch(condition -> holds(condition.getKey(), condition.getValue(), claims));
  }

  private static boolean holds(ClaimPath path, String expected, Map<String, Object> claims) {
    ClaimPath each = new ClaimPath(path.names(), true, path.text());
    List<Object> values = each.valuesIn(claims);
    return values.stream().anyMatch(value -> String.valueOf(value).equals(expected));
  }
}

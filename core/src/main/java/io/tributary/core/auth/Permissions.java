package io.tributary.core.auth;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which datasets an identity may use, and how: the configured rules of its authentication method,
 * the most any of them grants. Without rules of its own, the unsecured mode and a shared secret
 * grant every dataset read-write (a shared secret is one password for every client: it cannot tell
 * users apart), and a JWT grants nothing. A backend's API key grants every dataset read-write.
 */
public final class Permissions {

  /** No rules configured. */
  public static final Permissions DEFAULTS = new Permissions(Map.of());

  private final Map<AuthMethod, List<DatasetRule>> rules;

  /**
   * @param rules per method; a method left out keeps its default
   */
  public Permissions(Map<AuthMethod, List<DatasetRule>> rules) {
    Map<AuthMethod, List<DatasetRule>> all = new EnumMap<>(AuthMethod.class);
    all.put(AuthMethod.UNSECURED, List.of(DatasetRule.EVERYTHING));
    all.put(AuthMethod.SHARED_SECRET, List.of(DatasetRule.EVERYTHING));
    all.put(AuthMethod.JWT, List.of());
    all.put(AuthMethod.API_KEY, List.of(DatasetRule.EVERYTHING));
    rules.forEach((method, list) -> all.put(method, List.copyOf(list)));
    this.rules = all;
  }

  /** What {@code identity} may do with {@code dataset}. */
  public Access accessTo(Identity identity, String dataset) {
    Access access = Access.NONE;
    for (DatasetRule rule : rules.get(identity.method())) {
      access = access.or(rule.accessTo(dataset, identity.claims()));
      if (access == Access.READ_WRITE) {
        break;
      }
    }
    return access;
  }

  /** The rules of a method, for the status page and start-up warnings. */
  public List<DatasetRule> rulesOf(AuthMethod method) {
    return rules.get(method);
  }
}

package io.tributary.core.model;

/**
 * ObjectBox's "id:uid" pair. The uid identifies an entity or property across model versions (a
 * rename keeps it); the id is its short local number.
 */
public record IdUid(int id, long uid) {

  public static final IdUid NONE = new IdUid(0, 0);

  /** Parses "12:6645479796472661392"; uids are unsigned 64-bit numbers. */
  public static IdUid parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected \"id:uid\" but was \"" + text + "\"");
    }
    try {
      return new IdUid(
          Integer.parseInt(text.substring(0, colon)),
          Long.parseUnsignedLong(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected \"id:uid\" but was \"" + text + "\"", e);
    }
  }

  @Override
  public String toString() {
    return id + ":" + Long.toUnsignedString(uid);
  }
}

package io.tributary.core.model;

/**
 * A property of an entity.
 *
 * @param relationTarget the target entity's name for a to-one relation, else null
 * @param indexId the property's index, or {@link IdUid#NONE} if it has none
 */
public record Property(
    String name, IdUid id, PropertyType type, int flags, String relationTarget, IdUid indexId) {

  public static final int FLAG_ID = 1;
  public static final int FLAG_NOT_NULL = 4;
  public static final int FLAG_ID_SELF_ASSIGNABLE = 128;
  public static final int FLAG_SYNC_CLOCK = 131072;
  public static final int FLAG_SYNC_PRECEDENCE = 262144;

  public boolean isId() {
    return hasFlag(FLAG_ID);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }
}

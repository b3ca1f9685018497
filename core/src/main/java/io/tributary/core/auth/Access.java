package io.tributary.core.auth;

import java.util.Arrays;

/** What a session may do with its dataset; ordered, so that the most a rule grants wins. */
public enum Access {
  NONE("none"),
  READ("read"),
  READ_WRITE("read-write");

  private final String configName;

  Access(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public boolean canRead() {
    return this != NONE;
  }

  public boolean canWrite() {
    return this == READ_WRITE;
  }

  /** The larger of the two. */
  public Access or(Access other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** From the configuration's spelling: {@code read} or {@code read-write}. */
  public static Access ofConfigName(String name) {
    return Arrays.stream(values())
        .filter(access -> access != NONE && access.configName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "access must be \"read\" or \"read-write\", not \"" + name + "\""));
  }
}

package io.tributary.core.model;

/** Which {@link io.tributary.core.changeset.Value} variant a property type holds. */
public enum ValueKind {
  BOOL,
  INT,
  FLOAT,
  TEXT,
  BYTES,
  /** An ordered list: {@link io.tributary.core.changeset.Value.Vector}. */
  VECTOR
}

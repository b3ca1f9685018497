package io.tributary.core.model;

/** A changeset that does not fit the model; nothing of it may be applied. */
public final class SchemaViolation extends RuntimeException {

  public SchemaViolation(String message) {
    super(message);
  }
}

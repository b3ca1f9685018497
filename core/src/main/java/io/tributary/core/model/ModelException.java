package io.tributary.core.model;

/** A model file that cannot be used; the message names what is wrong and where. */
public final class ModelException extends RuntimeException {

  public ModelException(String message) {
    super(message);
  }
}

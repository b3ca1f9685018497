package io.tributary.core.state;

/**
 * A local transaction changed an object that does not exist in the local copy (at that point of the
 * transaction); nothing of it was applied. Create the object first.
 */
public final class NoSuchObjectException extends IllegalArgumentException {

  public NoSuchObjectException(String message) {
    super(message);
  }
}

package io.tributary.core.state;

/** A local transaction addressed a list element that does not exist; nothing of it was applied. */
public final class ListIndexOutOfRangeException extends IndexOutOfBoundsException {

  public ListIndexOutOfRangeException(String message) {
    super(message);
  }
}

package io.tributary.schemas.codec;

/** A WebSocket frame that is not a valid protocol message. */
public final class MalformedFrameException extends RuntimeException {

  public MalformedFrameException(String message) {
    super(message);
  }
}

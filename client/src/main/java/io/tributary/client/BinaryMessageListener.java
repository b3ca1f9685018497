package io.tributary.client;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket listener that reassembles binary messages from their frames. */
public abstract class BinaryMessageListener implements WebSocket.Listener {

  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  @Override
  public final CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.writeBytes(bytes);
    if (last) {
      byte[] message = partial.toByteArray();
      partial.reset();
      onMessage(webSocket, message);
    }
    requestMore(webSocket);
    return null;
  }

  /** A complete binary message of {@code webSocket}. */
  protected abstract void onMessage(WebSocket webSocket, byte[] message);

  /** Asks for the next frame; a listener that wants to stop reading for a while overrides it. */
  protected void requestMore(WebSocket webSocket) {
    webSocket.request(1);
  }
}

package io.tributary.testkit;

import io.tributary.client.BinaryMessageListener;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.ServerMessage;
import io.tributary.schemas.codec.Frames;
import io.tributary.schemas.codec.Handshake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A protocol-level WebSocket client for tests: sends any message or raw bytes, and records every
 * message the server sends and whether the server closed the connection.
 */
public final class RawConnection implements AutoCloseable {

  private final WebSocket socket;
  private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
  private volatile Integer closeCode;
  private final java.util.concurrent.atomic.AtomicLong receivedBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile java.util.function.Consumer<ServerMessage> listener;
  private volatile boolean paused;
  private volatile boolean demandOwed;

  private RawConnection(URI server, String token) {
    WebSocket.Builder builder =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols(Handshake.currentSubprotocol());
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    this.socket = builder.buildAsync(server, new Listener()).join();
  }

  public static RawConnection open(int port) {
    return new RawConnection(URI.create("ws://127.0.0.1:" + port), null);
  }

  /** A connection that presents {@code token} at the handshake. */
  public static RawConnection open(int port, String token) {
    return new RawConnection(URI.create("ws://127.0.0.1:" + port), token);
  }

  public RawConnection send(Object body) {
    return sendBytes(Frames.encode(new ClientMessage(body)));
  }

  public RawConnection sendBytes(byte[] frame) {
    socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    return this;
  }

  /**
   * Sends {@code size} bytes as one message in fragments of {@code fragment} bytes; stops early
   * (without an exception) once the server has closed the connection.
   */
  public RawConnection sendFragmented(int size, int fragment) {
    byte[] chunk = new byte[fragment];
    for (int sent = 0; sent < size && closeCode == null; sent += fragment) {
      boolean last = sent + fragment >= size;
      try {
        socket.sendBinary(ByteBuffer.wrap(chunk), last).join();
      } catch (java.util.concurrent.CompletionException closed) {
        break;
      }
    }
    return this;
  }

  /** Bytes of every message received so far, as they came over the wire. */
  public long receivedBytes() {
    return receivedBytes.get();
  }

  /**
   * Hands every later message to {@code consumer} (on the receiving thread) instead of keeping it:
   * for long transfers whose messages would not fit in memory.
   */
  public RawConnection onMessage(java.util.function.Consumer<ServerMessage> consumer) {
    listener = consumer;
    return this;
  }

  public List<ServerMessage> received() {
    return List.copyOf(received);
  }

  /** The bodies received so far of one message type. */
  public <T> List<T> received(Class<T> type) {
    return received.stream()
        .map(ServerMessage::getBody)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /** Stops reading: the server's messages pile up in the network and then on the server. */
  public void pauseReading() {
    paused = true;
  }

  public void resumeReading() {
    paused = false;
    if (demandOwed) {
      demandOwed = false;
      socket.request(1);
    }
  }

  /** The WebSocket close code the server sent, or null while open. */
  public Integer closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener extends BinaryMessageListener {
    @Override
    protected void onMessage(WebSocket webSocket, byte[] message) {
      receivedBytes.addAndGet(message.length);
      if (listener != null) {
        listener.accept(Frames.decodeServer(message));
        return;
      }
      received.add(Frames.decodeServer(message));
    }

    @Override
    protected void requestMore(WebSocket webSocket) {
      if (paused) {
        demandOwed = true;
      } else {
        webSocket.request(1);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode = statusCode;
      return null;
    }
  }
}

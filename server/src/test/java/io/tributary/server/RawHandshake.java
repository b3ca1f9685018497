package io.tributary.server;

import io.tributary.schemas.codec.Handshake;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A WebSocket handshake by hand on a plain socket: what an attacker does, nothing read after. */
final class RawHandshake {

  private RawHandshake() {}

  /**
   * Sends the upgrade request, offering the sync protocol, and leaves the answer unread.
   *
   * @param from the local address to connect from (another loopback address is another client), or
   *     null for any
   * @param receiveBuffer a fixed receive buffer (the kernel grows none) if positive
   */
  static Socket send(String from, int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket
        .getOutputStream()
        .write(
            ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: "
                    + Handshake.currentSubprotocol()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The status of the answer, its headers read and the rest left; -1 if the server closed. */
  static int status(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder response = new StringBuilder();
    while (!response.toString().endsWith("\r\n\r\n")) {
      int read = in.read();
      if (read == -1) {
        return -1;
      }
      response.append((char) read);
    }
    return Integer.parseInt(response.substring(9, 12));
  }
}

package io.tributary.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicLong;

/** The sync WebSocket endpoint: every WebSocket becomes a {@link Connection}. */
final class SyncVerticle extends VerticleBase {

  /**
   * The largest client message: one upload becomes one Kafka record. Frames may be as large, since
   * browsers send every message as a single frame.
   */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final String host;
  private final int port;
  private final GatewayServices services;
  private final AtomicLong connectionIds;
  private HttpServer server;

  SyncVerticle(String host, int port, GatewayServices services, AtomicLong connectionIds) {
    this.host = host;
    this.port = port;
    this.services = services;
    this.connectionIds = connectionIds;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES)
            .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
            // permessage-deflate has no decompression cap in Vert.x: leave it off.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    server =
        vertx
            .createHttpServer(options)
            .webSocketHandler(
                socket ->
                    new Connection(connectionIds.incrementAndGet(), socket, services, context)
                        .start());
    return server.listen();
  }

  int actualPort() {
    return server.actualPort();
  }
}

package io.tributary.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicLong;

/** The sync WebSocket endpoint: every WebSocket becomes a {@link Connection}. */
final class SyncVerticle extends VerticleBase {

  /** A DOWNLOAD carries at most 16 MiB of changesets, plus its envelope. */
  static final int MAX_MESSAGE_BYTES = 17 * 1024 * 1024;

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
            .setMaxWebSocketFrameSize(65536)
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

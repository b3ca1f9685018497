package io.tributary.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The sync port while the server starts: every request is answered 503 with {@code Retry-After}, so
 * that clients come back when the server says rather than after a backoff that grew while it was
 * down (a restart after a kill -9 takes seconds). It gives the port up to the gateway once
 * everything else has started.
 */
public final class StartingAnswer {

  /** Seconds a client is told to wait: about how often it should try while the server starts. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final HttpServer server;

  private StartingAnswer(HttpServer server) {
    this.server = server;
  }

  /** Listens on the sync port with the gateway's settings (TLS too); fails if it cannot. */
  public static Future<StartingAnswer> listen(Vertx vertx, String host, int port, TlsFiles tls) {
    HttpServerOptions options =
        SyncVerticle.serverOptions(host, port, tls).setIdleTimeout(5); // Seconds: nobody stays.
    return vertx
        .createHttpServer(options)
        .requestHandler(
            request ->
                request
                    .response()
                    .setStatusCode(503)
                    .putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                    .putHeader("Connection", "close")
                    .end("starting\n"))
        .listen()
        .map(StartingAnswer::new);
  }

  public int port() {
    return server.actualPort();
  }

  /** Stops answering; the port stays open while the gateway listens on it. */
  public Future<Void> close() {
    return server.close();
  }
}

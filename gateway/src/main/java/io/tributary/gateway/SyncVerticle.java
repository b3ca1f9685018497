package io.tributary.gateway;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.schemas.codec.Handshake;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sync WebSocket endpoint: every WebSocket becomes a {@link Connection}. */
final class SyncVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SyncVerticle.class);

  /**
   * The largest client message: one upload becomes one Kafka record. Frames may be as large, since
   * browsers send every message as a single frame.
   */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final String host;
  private final int port;
  private final GatewayServices services;
  private final AtomicLong connectionIds;

  /** Handshakes under way over every instance: the bound is the gateway's, not an event loop's. */
  private final AtomicInteger handshakesUnderWay;

  private HttpServer server;

  /** Connections not yet WebSockets, with the timer that ends them. */
  private final Map<HttpConnection, Long> handshakes = new HashMap<>();

  private final TlsFiles tls;

  /** The timeouts of this event loop's connections, checked by one timer. */
  private final ConnectionWatch watch = new ConnectionWatch();

  /** The changesets in flight of this event loop's connections, against its share of the limit. */
  private final UploadBudget budget;

  /**
   * One instance per event loop: every instance listens on the same address, and Vert.x hands new
   * connections to them in turn.
   */
  SyncVerticle(
      String host,
      int port,
      TlsFiles tls,
      GatewayServices services,
      AtomicLong connectionIds,
      AtomicInteger handshakesUnderWay,
      int eventLoops) {
    this.budget = UploadBudget.share(services.policy().gatewayUploadsInFlight(), eventLoops);
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.services = services;
    this.connectionIds = connectionIds;
    this.handshakesUnderWay = handshakesUnderWay;
  }

  @Override
  public Future<?> start() {
    server =
        vertx
            .createHttpServer(serverOptions(host, port, tls))
            .connectionHandler(this::onConnection)
            .requestHandler(this::onRequest);
    watch.start(vertx, services.policy());
    return server.listen();
  }

  /** The sync port's HTTP settings: what a client meets there, ready or still starting. */
  static HttpServerOptions serverOptions(String host, int port, TlsFiles tls) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES)
            .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
            // permessage-deflate has no decompression cap in Vert.x: leave it off.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            // HTTP/1.1 only: a connection is known as such at once, so its handshake is timed from
            // the first byte it may send (h2c would wait for that byte to pick a protocol).
            .setHttp2ClearTextEnabled(false);
    options.setWebSocketSubProtocols(Handshake.supportedSubprotocols());
    return tls == null ? options : tls.applyTo(options);
  }

  @Override
  public Future<?> stop() {
    watch.stop(vertx);
    return Future.succeededFuture();
  }

  /**
   * A new TCP connection: it has the handshake timeout to become a WebSocket, and only so many
   * connections may be on their way at once. A client that sends its request slowly, or nothing,
   * holds nothing for long.
   */
  private void onConnection(HttpConnection connection) {
    ConnectionPolicy policy = services.policy();
    if (handshakesUnderWay.incrementAndGet() > policy.maxHandshakes()) {
      handshakesUnderWay.decrementAndGet();
      LOG.debug("Refusing a connection: {} handshakes under way", policy.maxHandshakes());
      services.metrics().handshakeRefused("handshakes_full");
      connection.close();
      return;
    }
    long timer =
        vertx.setTimer(
            policy.handshakeTimeout().toMillis(),
            ignored -> {
              if (handshakes.remove(connection) != null) {
                handshakesUnderWay.decrementAndGet();
                LOG.debug("Closing a connection that did not complete its handshake in time");
                services.metrics().handshakeRefused("handshake_timeout");
                connection.close();
              }
            });
    handshakes.put(connection, timer);
    connection.closeHandler(ignored -> handshakeOver(connection));
  }

  private void handshakeOver(HttpConnection connection) {
    Long timer = handshakes.remove(connection);
    if (timer != null) {
      handshakesUnderWay.decrementAndGet();
      vertx.cancelTimer(timer);
    }
  }

  /**
   * The handshake: a WebSocket upgrade offering a protocol version this server speaks, with an
   * accepted token. Anything else is refused with an HTTP status and a one-line reason.
   */
  private void onRequest(HttpServerRequest request) {
    if (!request.canUpgradeToWebSocket()) {
      refuse(request, 426, "this is the Tributary sync endpoint: connect with a WebSocket");
      return;
    }
    List<String> offered = Handshake.offered(request.getHeader("Sec-WebSocket-Protocol"));
    if (Handshake.chooseVersion(offered).isEmpty()) {
      refuse(
          request,
          400,
          "no sync protocol version this server speaks was offered in Sec-WebSocket-Protocol;"
              + " it speaks "
              + String.join(", ", Handshake.supportedSubprotocols()));
      return;
    }
    String address = request.connection().remoteAddress().hostAddress();
    ConnectionCounts.Refusal full = services.counts().admit(address);
    if (full != null) {
      refuseFull(request, full);
      return;
    }
    String token = Handshake.token(request.getHeader("Authorization"), offered).orElse(null);
    request.pause(); // Nothing of it is read while its token is checked elsewhere.
    check(token)
        .onComplete(
            checked -> {
              request.resume();
              if (checked.failed()) {
                services.counts().release(address);
                LOG.warn("Checking a token failed: {}", checked.cause().toString());
                refuse(request, 500, "the token could not be checked");
              } else if (checked.result() instanceof TokenVerdict.Refused refused) {
                services.counts().release(address);
                services.metrics().handshakeRefused("token");
                refuseToken(request, refused);
              } else {
                upgrade(request, address, token, (TokenVerdict.Accepted) checked.result());
              }
            });
  }

  /** The handshake's token checked, off the event loop if there is one to verify. */
  private Future<TokenVerdict> check(String token) {
    TokenCheck tokens = services.admission().tokens();
    return token == null
        ? Future.succeededFuture(tokens.check(null))
        : KnownTokens.checkOnWorker(vertx, tokens, token);
  }

  private void upgrade(
      HttpServerRequest request, String address, String token, TokenVerdict.Accepted accepted) {
    Identity identity = accepted.identity();
    request
        .toWebSocket()
        .onSuccess(
            socket -> {
              handshakeOver(request.connection());
              new Connection(
                      connectionIds.incrementAndGet(),
                      socket,
                      request.connection(),
                      services,
                      context,
                      watch,
                      budget,
                      new Connection.Handshake(identity, token, address))
                  .start();
            })
        .onFailure(
            error -> {
              services.counts().release(address);
              LOG.debug("WebSocket handshake failed: {}", error.toString());
            });
  }

  /** Over a connection quota: 503 when the gateway is full, 429 when the client's address is. */
  private void refuseFull(HttpServerRequest request, ConnectionCounts.Refusal full) {
    ConnectionQuotas quotas = services.policy().quotas();
    request.response().putHeader("Retry-After", "30");
    if (full == ConnectionCounts.Refusal.GATEWAY_FULL) {
      services.metrics().handshakeRefused("gateway_full");
      refuse(
          request, 503, "this gateway holds its most connections (" + quotas.connections() + ")");
    } else {
      services.metrics().handshakeRefused("address_full");
      refuse(
          request,
          429,
          "at most "
              + quotas.connectionsPerAddress()
              + " connections from one address are allowed");
    }
  }

  /**
   * A refused token: 401 with the reason in {@code WWW-Authenticate} (RFC 6750) and the body, or
   * 503 when the keys to check it are out of reach, which trying again later may cure.
   */
  private static void refuseToken(HttpServerRequest request, TokenVerdict.Refused refused) {
    if (refused.error() == ErrorCode.AUTHENTICATION_UNAVAILABLE) {
      request.response().putHeader("Retry-After", "5");
      refuse(request, 503, "the token cannot be checked now (" + refused.describe() + ")");
      return;
    }
    String description = refused.describe().replace('"', '\'');
    request
        .response()
        .putHeader(
            "WWW-Authenticate",
            "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
    refuse(request, 401, "the token is refused (" + refused.describe() + ")");
  }

  private static void refuse(HttpServerRequest request, int status, String reason) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(reason + "\n");
  }

  int actualPort() {
    return server.actualPort();
  }
}

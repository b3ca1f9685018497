package io.tributary.gateway;

import io.tributary.core.auth.Access;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.core.backend.WriteJson;
import io.tributary.core.session.ServerConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.UUID;

/**
 * The HTTP API for an app's backends, on a port of its own:
 *
 * <ul>
 *   <li>{@code POST /v1/datasets/{dataset}/changesets}: a write in JSON ({@link WriteJson}),
 *       integrated by the sequencer like any changeset, from the server's own origin; answers once
 *       the write is materialized, with its version. An {@code Idempotency-Key} header makes a
 *       retried request apply once.
 *   <li>{@code GET /v1/datasets/{dataset}/objects/{entity}/{id}} and {@code
 *       .../objects/{entity}?after=ID&limit=N}: objects in the shape of the change events, from a
 *       materializer's read API.
 * </ul>
 *
 * Every request carries {@code Authorization: Bearer} an API key of the configuration or a JWT,
 * whose permission rules say which datasets it may read and write.
 */
final class BackendApi {

  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final Vertx vertx;
  private final BackendWrites writes;
  private final Admission admission;
  private final ReadApiRoute materializers;
  private final HttpClient http;

  BackendApi(Vertx vertx, BackendWrites writes, Admission admission, ReadApiRoute materializers) {
    this.vertx = vertx;
    this.writes = writes;
    this.admission = admission;
    this.materializers = materializers;
    this.http = vertx.createHttpClient();
  }

  Future<HttpServer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.post("/v1/datasets/:dataset/changesets").handler(this::write);
    router.get("/v1/datasets/:dataset/objects/:entity/:id").handler(this::read);
    router.get("/v1/datasets/:dataset/objects/:entity").handler(this::read);
    router.route().last().handler(ctx -> error(ctx, 404, "not_found", "no such endpoint"));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }

  /**
   * The token first, the body after: a stranger must not make the gateway hold 16 MiB. (Vert.x
   * Web's body handler runs before any other, so the body is read here.)
   */
  private void write(RoutingContext ctx) {
    ctx.request().pause(); // Nothing of the body is read while the token is checked.
    String key = ctx.request().getHeader("Idempotency-Key");
    authorized(ctx, ctx.pathParam("dataset"), true)
        .compose(identity -> body(ctx).map(body -> new Object[] {identity, body}))
        .compose(
            read ->
                writes.write(
                    ctx.pathParam("dataset"),
                    caller((Identity) read[0]),
                    key != null ? key : UUID.randomUUID().toString(),
                    (byte[]) read[1]))
        .onSuccess(outcome -> send(ctx, outcome.status(), outcome.body()));
  }

  /** The request's body, at most {@link #MAX_BODY_BYTES}; a longer one is answered 413. */
  private static Future<byte[]> body(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Promise<byte[]> body = Promise.promise();
    if (declaredLength(request) > MAX_BODY_BYTES) {
      tooLarge(ctx);
      return body.future();
    }
    Buffer buffer = Buffer.buffer();
    request.handler(
        chunk -> {
          if (buffer.length() + chunk.length() > MAX_BODY_BYTES) {
            request.pause();
            tooLarge(ctx);
            body.tryFail("too large");
          } else {
            buffer.appendBuffer(chunk);
          }
        });
    request.endHandler(ignored -> body.tryComplete(buffer.getBytes()));
    request.exceptionHandler(body::tryFail);
    request.resume();
    return body.future();
  }

  /** The Content-Length the request declares; 0 without one, too much for a bad one. */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static void tooLarge(RoutingContext ctx) {
    error(ctx, 413, "too_large", "a write is at most " + MAX_BODY_BYTES + " bytes");
    ctx.response().putHeader("Connection", "close");
  }

  /** Who makes a request, as its idempotency keys are kept: its method and name. */
  private static String caller(Identity identity) {
    Object who = identity.claims().getOrDefault("sub", identity.claims().getOrDefault("name", ""));
    return identity.method().configName() + ":" + who;
  }

  /** Reads go to the read API serving the dataset, which answers in the current names. */
  private void read(RoutingContext ctx) {
    String dataset = ctx.pathParam("dataset");
    authorized(ctx, dataset, false).onSuccess(ignored -> forward(ctx, dataset));
  }

  private void forward(RoutingContext ctx, String dataset) {
    java.util.Optional<URI> materializer = materializers.of(dataset);
    if (materializer.isEmpty()) {
      error(ctx, 503, "unavailable", "no materializer serves the dataset's partition yet");
      return;
    }
    http.request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(materializer.get().getHost())
                .setPort(materializer.get().getPort())
                .setURI(ctx.request().uri())
                .setIdleTimeout(ReadApiClient.READ_TIMEOUT_MILLIS))
        .compose(request -> request.send())
        .compose(
            response ->
                response
                    .body()
                    .map(
                        body -> {
                          relay(ctx, response.statusCode(), body.toString());
                          return null;
                        }))
        .onFailure(
            failure ->
                error(
                    ctx,
                    503,
                    "unavailable",
                    "the materializer did not answer: " + failure.getMessage()));
  }

  private static void relay(RoutingContext ctx, int status, String body) {
    if (status == io.tributary.schemas.readapi.ReadApiStatus.NOT_SERVED_HERE.code()) {
      error(ctx, 503, "unavailable", "the dataset's partition is moving: try again");
    } else if (status == 200) {
      ctx.response().putHeader("content-type", "application/json").end(body);
    } else {
      error(ctx, status, status == 404 ? "not_found" : "read_failed", body);
    }
  }

  /**
   * Completes once the request's token may use {@code dataset} (to write, if {@code write});
   * otherwise answers 401 or 403 and never completes. Tokens are checked off the event loop: a JWT
   * may take milliseconds.
   */
  private Future<Identity> authorized(RoutingContext ctx, String dataset, boolean write) {
    Promise<Identity> allowed = Promise.promise();
    if (!ServerConnection.DATASET_NAME.matcher(dataset).matches()) {
      error(
          ctx,
          400,
          "bad_dataset_name",
          "dataset names are 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
      return allowed.future();
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      unauthorized(ctx, "missing", "give Authorization: Bearer <API key or JWT>");
      return allowed.future();
    }
    String token = authorization.substring("Bearer ".length()).trim();
    vertx
        .executeBlocking(() -> admission.tokens().check(token), false)
        .onSuccess(
            verdict -> {
              if (verdict instanceof TokenVerdict.Refused refused) {
                unauthorized(ctx, refused.reason(), refused.message());
                return;
              }
              Identity identity = ((TokenVerdict.Accepted) verdict).identity();
              Access access = admission.permissions().accessTo(identity, dataset);
              if (write ? access.canWrite() : access.canRead()) {
                allowed.complete(identity);
              } else {
                error(
                    ctx,
                    403,
                    "permission_denied",
                    "this token may not " + (write ? "write " : "read ") + dataset);
              }
            })
        .onFailure(failure -> error(ctx, 503, "authentication_unavailable", failure.getMessage()));
    return allowed.future();
  }

  private static void unauthorized(RoutingContext ctx, String reason, String message) {
    ctx.response()
        .putHeader(
            "WWW-Authenticate",
            "Bearer error=\"invalid_token\", error_description=\"" + reason + "\"");
    error(ctx, 401, reason, message);
  }

  private static void error(RoutingContext ctx, int status, String error, String message) {
    send(ctx, status, new JsonObject().put("error", error).put("message", message));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .end(body.encode());
    }
  }
}

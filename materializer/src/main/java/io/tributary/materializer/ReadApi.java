package io.tributary.materializer;

import io.tributary.core.state.ClientFile;
import io.tributary.core.state.StateJson;
import io.tributary.schemas.CatchUpPage;
import io.tributary.schemas.readapi.ReadApiStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;

/**
 * The materializer's read API for gateways and operators. Its statuses, and what each means to a
 * gateway, are {@link ReadApiStatus}.
 *
 * <ul>
 *   <li>{@code GET /v1/datasets/:dataset/catch-up?after=V&ident=I&salt=S&maxBytes=N}: the history
 *       after version V as a {@link CatchUpPage} (Avro single-object encoding). 404 if the client
 *       file is unknown, 409 if its salt does not match.
 *   <li>{@code GET /v1/datasets/:dataset/objects}: every object as JSON ({@link StateJson}).
 *   <li>{@code GET /v1/datasets/:dataset/head}: {"head": version}.
 * </ul>
 */
public final class ReadApi {

  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
  private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;

  private final RocksStore store;

  private ReadApi(RocksStore store) {
    this.store = store;
  }

  public static Future<HttpServer> start(Vertx vertx, RocksStore store, String host, int port) {
    ReadApi api = new ReadApi(store);
    Router router = Router.router(vertx);
    // Unordered: catch-ups of different sessions must not queue behind each other.
    router.get("/v1/datasets/:dataset/catch-up").blockingHandler(api::catchUp, false);
    router.get("/v1/datasets/:dataset/objects").blockingHandler(api::objects, false);
    router.get("/v1/datasets/:dataset/head").blockingHandler(api::head, false);
    router.get("/v1/datasets/:dataset/clients/:ident").blockingHandler(api::client, false);
    router.get("/v1/datasets/:dataset/state").blockingHandler(api::state, false);
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }

  private void catchUp(RoutingContext ctx) {
    String dataset = ctx.pathParam("dataset");
    Optional<Long> after = longParam(ctx, "after");
    if (after.isEmpty()) {
      ctx.response()
          .setStatusCode(ReadApiStatus.BAD_REQUEST.code())
          .end("after, ident and salt must be numbers");
      return;
    }
    Optional<Long> ident = knownClient(ctx, dataset);
    if (ident.isEmpty()) {
      return;
    }
    Optional<HistoryPosition> from = store.position(dataset, after.get());
    if (from.isEmpty() || from.get().salt() != longParam(ctx, "afterSalt").orElse(0L)) {
      // Either the history is shorter than what the client has, or different at that version.
      ctx.response()
          .setStatusCode(ReadApiStatus.HISTORY_DIVERGED.code())
          .end(
              "the client's history at version "
                  + after.get()
                  + " is not this server's history: reset the client's local copy");
      return;
    }
    int maxBytes =
        (int) Math.min(MAX_PAGE_BYTES, longParam(ctx, "maxBytes").orElse((long) DEFAULT_MAX_BYTES));
    RocksStore.HistoryRange range = store.history(dataset, after.get(), maxBytes, ident.get());
    CatchUpPage page =
        new CatchUpPage(
            range.head(),
            range.headHistoryBytes(),
            from.get().historyBytes(),
            range.uploadProgress(),
            range.entries());
    sendAvro(ctx, page::toByteBuffer);
  }

  /**
   * A page of the dataset's state: the first one opens a snapshot at the head (a known client file
   * asks), later ones name it ({@code snapshot} and {@code after}). 410 once the snapshot is gone.
   */
  private void state(RoutingContext ctx) {
    String dataset = ctx.pathParam("dataset");
    int maxBytes =
        (int) Math.min(MAX_PAGE_BYTES, longParam(ctx, "maxBytes").orElse((long) DEFAULT_MAX_BYTES));
    String snapshot = ctx.request().getParam("snapshot");
    io.tributary.schemas.StatePage page;
    if (snapshot == null) {
      Optional<Long> ident = knownClient(ctx, dataset);
      if (ident.isEmpty()) {
        return;
      }
      page = store.state(dataset, ident.get(), maxBytes);
    } else {
      page = store.stateNext(snapshot, String.valueOf(ctx.request().getParam("after")), maxBytes);
      if (page == null) {
        ctx.response()
            .setStatusCode(ReadApiStatus.SNAPSHOT_EXPIRED.code())
            .end("the state snapshot expired; request the state again");
        return;
      }
    }
    sendAvro(ctx, page::toByteBuffer);
  }

  /** An Avro record's single-object encoding; generated classes have no common method for it. */
  @FunctionalInterface
  private interface Encoding {
    java.nio.ByteBuffer encode() throws IOException;
  }

  private static void sendAvro(RoutingContext ctx, Encoding record) {
    try {
      ctx.response()
          .putHeader("content-type", "application/octet-stream")
          .end(Buffer.buffer(StoredValues.toBytes(record.encode())));
    } catch (IOException e) {
      ctx.fail(e);
    }
  }

  /** Where history ends and which of the client's changesets it holds, as JSON. */
  private void client(RoutingContext ctx) {
    String dataset = ctx.pathParam("dataset");
    Optional<Long> ident = knownClient(ctx, dataset);
    if (ident.isEmpty()) {
      return;
    }
    RocksStore.ClientProgress progress = store.progress(dataset, ident.get());
    ctx.response()
        .putHeader("content-type", "application/json")
        .end(
            "{\"head\":"
                + progress.head()
                + ",\"lastClientVersion\":"
                + progress.lastClientVersion()
                + "}");
  }

  /**
   * The client file named by the request ({@code ident} path or query parameter, {@code salt} query
   * parameter), if the dataset knows it with that salt; otherwise answers the request.
   */
  private Optional<Long> knownClient(RoutingContext ctx, String dataset) {
    Optional<Long> ident =
        ctx.pathParam("ident") != null ? parse(ctx.pathParam("ident")) : longParam(ctx, "ident");
    Optional<Long> salt = longParam(ctx, "salt");
    if (ident.isEmpty() || salt.isEmpty()) {
      ctx.response()
          .setStatusCode(ReadApiStatus.BAD_REQUEST.code())
          .end("after, ident and salt must be numbers");
      return Optional.empty();
    }
    Optional<ClientFile> client = store.client(dataset, ident.get());
    if (client.isEmpty()) {
      ctx.response()
          .setStatusCode(ReadApiStatus.UNKNOWN_CLIENT_FILE.code())
          .end("unknown client file ident " + ident.get());
      return Optional.empty();
    }
    if (client.get().salt() != salt.get()) {
      ctx.response()
          .setStatusCode(ReadApiStatus.WRONG_SALT.code())
          .end("wrong salt for client file ident " + ident.get());
      return Optional.empty();
    }
    return ident;
  }

  private void objects(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .end(StateJson.of(store.objects(ctx.pathParam("dataset"))).toString());
  }

  private void head(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .end("{\"head\":" + store.head(ctx.pathParam("dataset")) + "}");
  }

  private static Optional<Long> longParam(RoutingContext ctx, String name) {
    return parse(ctx.request().getParam(name));
  }

  private static Optional<Long> parse(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

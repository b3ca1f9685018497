package io.tributary.materializer;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.ClientFile;
import io.tributary.core.state.StateJson;
import io.tributary.kafka.SchemaVersions;
import io.tributary.schemas.CatchUpPage;
import io.tributary.schemas.readapi.ReadApiStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;

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
 *   <li>{@code GET /v1/datasets/:dataset/objects/:entity/:id}: one object in the current names, in
 *       the shape of a change event's {@code after}: {@code {"dataset", "entity", "id", "version",
 *       "after"}}; 404 if there is none.
 *   <li>{@code GET /v1/datasets/:dataset/objects/:entity?after=ID&limit=N}: a page of an entity's
 *       objects by id: {@code {"dataset", "entity", "version", "objects": [after...], "next"}},
 *       next being the id to ask after for the next page, or null at the end.
 * </ul>
 */
public final class ReadApi {

  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
  private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;

  /** The most objects a page of the object list holds. */
  public static final int MAX_OBJECTS_PER_PAGE = 1_000;

  private final RocksStore store;
  private final Supplier<Optional<SchemaVersions.Version>> schema;
  private ChangeEventRecords records;

  private ReadApi(RocksStore store, Supplier<Optional<SchemaVersions.Version>> schema) {
    this.store = store;
    this.schema = schema;
  }

  /** Every dataset, for a store that serves them all (the one-command server's, a replay's). */
  public static Future<HttpServer> start(
      Vertx vertx,
      RocksStore store,
      Supplier<Optional<SchemaVersions.Version>> schema,
      String host,
      int port) {
    return start(vertx, store, schema, dataset -> true, host, port);
  }

  /**
   * @param schema the newest schema version, whose names objects are shown in
   * @param serves whether the store serves a dataset now; another answers 421 (a materializer in a
   *     group serves only the partitions it is the active of)
   */
  public static Future<HttpServer> start(
      Vertx vertx,
      RocksStore store,
      Supplier<Optional<SchemaVersions.Version>> schema,
      java.util.function.Predicate<String> serves,
      String host,
      int port) {
    ReadApi api = new ReadApi(store, schema);
    Router router = Router.router(vertx);
    router
        .get("/v1/datasets/:dataset/*")
        .handler(
            ctx -> {
              if (serves.test(ctx.pathParam("dataset"))) {
                ctx.next();
              } else {
                ctx.response()
                    .setStatusCode(ReadApiStatus.NOT_SERVED_HERE.code())
                    .end(
                        "another materializer serves \""
                            + ctx.pathParam("dataset")
                            + "\" now: ask its partition's owner");
              }
            });
    // Unordered: catch-ups of different sessions must not queue behind each other.
    router.get("/v1/datasets/:dataset/catch-up").blockingHandler(api::catchUp, false);
    router.get("/v1/datasets/:dataset/objects").blockingHandler(api::objects, false);
    router.get("/v1/datasets/:dataset/objects/:entity/:id").blockingHandler(api::object, false);
    router.get("/v1/datasets/:dataset/objects/:entity").blockingHandler(api::entityObjects, false);
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

  private void object(RoutingContext ctx) {
    Optional<SchemaNames> names = names(ctx);
    Optional<Long> id = unsigned(ctx.pathParam("id"));
    if (names.isEmpty()) {
      return;
    }
    if (id.isEmpty()) {
      ctx.response().setStatusCode(ReadApiStatus.BAD_REQUEST.code()).end("the id must be a number");
      return;
    }
    String dataset = ctx.pathParam("dataset");
    ObjectKey key = new ObjectKey(names.get().storedEntity(), id.get());
    // Read from just before the id, so that the object and its head come from one snapshot.
    RocksStore.AtHead read = store.objectsAtHead(dataset, key.entity(), id.get() - 1, 1);
    long version = read.head();
    Optional<SortedMap<String, Value>> object = Optional.ofNullable(read.objects().get(id.get()));
    if (object.isEmpty()) {
      ctx.response()
          .setStatusCode(404)
          .end(
              "no "
                  + ctx.pathParam("entity")
                  + " "
                  + Long.toUnsignedString(id.get())
                  + " in "
                  + dataset);
      return;
    }
    json(
        ctx,
        header(dataset, ctx.pathParam("entity"), version)
            + ",\"id\":"
            + Long.toUnsignedString(id.get())
            + ",\"after\":"
            + new String(names.get().records().stateJson(key, object.get()), StandardCharsets.UTF_8)
            + "}");
  }

  private void entityObjects(RoutingContext ctx) {
    Optional<SchemaNames> names = names(ctx);
    if (names.isEmpty()) {
      return;
    }
    Optional<Long> after =
        ctx.request().getParam("after") == null
            ? Optional.of(0L)
            : unsigned(ctx.request().getParam("after"));
    Optional<Long> limit =
        ctx.request().getParam("limit") == null ? Optional.of(100L) : longParam(ctx, "limit");
    if (after.isEmpty()
        || limit.isEmpty()
        || limit.get() < 1
        || limit.get() > MAX_OBJECTS_PER_PAGE) {
      ctx.response()
          .setStatusCode(ReadApiStatus.BAD_REQUEST.code())
          .end("after must be an id and limit a number from 1 to " + MAX_OBJECTS_PER_PAGE);
      return;
    }
    String dataset = ctx.pathParam("dataset");
    String stored = names.get().storedEntity();
    RocksStore.AtHead read =
        store.objectsAtHead(dataset, stored, after.get(), (int) (long) limit.get());
    long version = read.head();
    SortedMap<Long, SortedMap<String, Value>> page = read.objects();
    StringBuilder json = new StringBuilder(header(dataset, ctx.pathParam("entity"), version));
    json.append(",\"objects\":[");
    String separator = "";
    for (var object : page.entrySet()) {
      json.append(separator)
          .append(
              new String(
                  names
                      .get()
                      .records()
                      .stateJson(new ObjectKey(stored, object.getKey()), object.getValue()),
                  StandardCharsets.UTF_8));
      separator = ",";
    }
    json.append("],\"next\":")
        .append(page.size() < limit.get() ? "null" : Long.toUnsignedString(page.lastKey()))
        .append('}');
    json(ctx, json.toString());
  }

  /** What the names of a request mean in the newest schema version. */
  private record SchemaNames(ChangeEventRecords records, String storedEntity) {}

  /** The request's entity in the newest schema version; otherwise answers the request. */
  private Optional<SchemaNames> names(RoutingContext ctx) {
    Optional<SchemaVersions.Version> version = schema.get();
    String entity = ctx.pathParam("entity");
    if (version.isEmpty() || version.get().model().entity(entity).isEmpty()) {
      ctx.response().setStatusCode(404).end("the model has no entity \"" + entity + "\"");
      return Optional.empty();
    }
    ChangeEventRecords named = recordsFor(version.get());
    return Optional.of(new SchemaNames(named, version.get().renames().entityToStored(entity)));
  }

  private synchronized ChangeEventRecords recordsFor(SchemaVersions.Version version) {
    if (records == null || records.schemaVersion() != version.number()) {
      records = new ChangeEventRecords(version, "read-api");
    }
    return records;
  }

  private static String header(String dataset, String entity, long version) {
    return "{\"dataset\":"
        + io.vertx.core.json.Json.encode(dataset)
        + ",\"entity\":"
        + io.vertx.core.json.Json.encode(entity)
        + ",\"version\":"
        + version;
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response().putHeader("content-type", "application/json").end(body);
  }

  private void head(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .end("{\"head\":" + store.head(ctx.pathParam("dataset")) + "}");
  }

  /** Ids sort and page as unsigned numbers, as the store keeps them. */
  private static Optional<Long> unsigned(String value) {
    try {
      return Optional.of(Long.parseUnsignedLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
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

package io.tributary.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Entity;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelJson;
import io.tributary.core.model.Renames;
import io.tributary.kafka.SchemaVersions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The admin web UI: its page ({@code /}) and the JSON it reads ({@code /api/...}): status, schema
 * versions, datasets, and objects in the current model's names. Every read of the store or of Kafka
 * runs off the event loop, which keeps answering health probes meanwhile.
 */
final class AdminApi implements AutoCloseable {

  static final int PAGE = 100;
  private static final int MAX_PAGE = 1_000;

  /** The most objects one filtered request reads before it answers with what it found. */
  static final int SCAN_BUDGET = 20_000;

  private static final int READS = 64;
  private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final AdminView view;

  /** The console's files, by path: its page, script and styles, and uPlot's. */
  private final Map<String, StaticFile> files;

  private final SyncStatistics statistics;
  private final AtomicReference<Thread> export = new AtomicReference<>();
  // The store's reads in progress: close() takes every permit, so none runs once the store closes.
  private final java.util.concurrent.Semaphore reads = new java.util.concurrent.Semaphore(READS);
  private volatile boolean closing;

  AdminApi(Vertx vertx, AdminView view, SyncStatistics statistics) {
    this.vertx = vertx;
    this.view = view;
    this.statistics = statistics;
    this.files =
        Map.of(
            "/", new StaticFile(HTML, resource("/admin/index.html")),
            "/admin.js", new StaticFile(SCRIPT, resource("/admin/admin.js")),
            "/admin.css", new StaticFile(STYLE, resource("/admin/admin.css")),
            "/uplot.js", new StaticFile(SCRIPT, resource(UPLOT + "uPlot.iife.min.js")),
            "/uplot.css", new StaticFile(STYLE, resource(UPLOT + "uPlot.min.css")));
  }

  private record StaticFile(String type, byte[] body) {}

  private static final String HTML = "text/html; charset=utf-8";
  private static final String SCRIPT = "text/javascript; charset=utf-8";
  private static final String STYLE = "text/css; charset=utf-8";

  /** uPlot, the charting library, as its webjar ships it (a dependency of this module). */
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** Whether {@code request} asks for one of the console's files, which it then answers. */
  boolean serveFile(HttpServerRequest request) {
    StaticFile file = files.get(request.path());
    if (file != null) {
      serve(request, file.type(), file.body());
    }
    return file != null;
  }

  /** Whether it answers {@code request}, which is authorized. */
  boolean handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/api/log-levels")) {
      ObjectNode levels = JSON.createObjectNode();
      LogLevels.own().forEach(levels::put);
      serve(
          request,
          "application/json",
          levels.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return true;
    }
    if (path.equals("/api/statistics")) {
      String range = param(request, "range", "hour");
      if (!range.equals("hour") && !range.equals("day")) {
        request.response().setStatusCode(400).end("range must be hour or day, not " + range + "\n");
        return true;
      }
      serve(
          request,
          "application/json",
          statistics
              .window(range.equals("day"), java.time.Instant.now().getEpochSecond())
              .toString()
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return true;
    }
    if (!path.startsWith("/api/")) {
      return false;
    }
    String[] parts = path.substring("/api/".length()).split("/");
    if (parts.length == 3 && parts[0].equals("schema") && parts[2].equals("make-current")) {
      makeCurrent(request, parts[1]);
      return true;
    }
    if (parts.length == 3 && parts[0].equals("clients") && parts[2].equals("disconnect")) {
      disconnect(request, parts[1]);
      return true;
    }
    if (parts.length == 3 && parts[0].equals("datasets") && parts[2].equals("export")) {
      export(request, parts[1]);
      return true;
    }
    if (!reads.tryAcquire()) {
      request.response().setStatusCode(503).end("stopping\n");
      return true;
    }
    vertx
        .executeBlocking(
            () -> {
              try {
                return answer(request, parts);
              } finally {
                reads.release();
              }
            })
        .onComplete(
            done -> {
              HttpServerResponse response = request.response();
              if (done.succeeded() && done.result() == null) {
                response.setStatusCode(404).end("not found\n");
              } else if (done.succeeded()) {
                response.putHeader("Content-Type", "application/json").end(done.result());
              } else if (done.cause() instanceof IllegalArgumentException) {
                response.setStatusCode(400).end(done.cause().getMessage() + "\n");
              } else {
                response.setStatusCode(503).end("cannot answer now: " + done.cause() + "\n");
              }
            });
    return true;
  }

  /** The JSON answer, or null if there is no such resource. */
  private String answer(HttpServerRequest request, String[] parts)
      throws JsonProcessingException, InterruptedException {
    Object body = null;
    if (parts.length == 1 && parts[0].equals("status")) {
      body = view.status();
    } else if (parts.length == 1 && parts[0].equals("schema")) {
      body = schema();
    } else if (parts.length == 1 && parts[0].equals("clients")) {
      body = clients(limit(request));
    } else if (parts.length == 1 && parts[0].equals("datasets")) {
      body = datasets(param(request, "after", ""), limit(request));
    } else if (parts.length == 3 && parts[0].equals("datasets") && parts[2].equals("objects")) {
      body = objects(dataset(parts[1]), request);
    }
    return body == null ? null : JSON.writeValueAsString(body);
  }

  private ObjectNode schema() throws InterruptedException, JsonProcessingException {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("current", view.currentSchema().number());
    ArrayNode versions = schema.putArray("versions");
    int number = 1;
    for (Model model : view.schemaVersions()) {
      ObjectNode version = versions.addObject();
      version.put("version", number++);
      ArrayNode entities = version.putArray("entities");
      for (Entity entity : model.entities()) {
        ObjectNode shown =
            entities
                .addObject()
                .put("name", entity.name())
                .put("uid", Long.toUnsignedString(entity.id().uid()))
                .put("properties", entity.properties().size())
                .put("relations", entity.relations().size())
                .put("sync", entity.syncEnabled());
        // What an object of it shows, in order: its properties, then its to-many relations.
        ArrayNode members = shown.putArray("members");
        entity.properties().forEach(p -> members.add(p.name()));
        entity.relations().forEach(r -> members.add(r.name()));
      }
      version.set("model", JSON.readTree(ModelJson.write(model)));
    }
    return schema;
  }

  /** {@code /api/clients}: the connected clients and their sessions, oldest first. */
  private ArrayNode clients(int limit) {
    ArrayNode clients = JSON.createArrayNode();
    for (io.tributary.gateway.ClientSummary client : view.clients(limit)) {
      ObjectNode shown =
          clients
              .addObject()
              .put("connection", client.connection())
              .put("address", client.address())
              .put("connectedSince", client.connectedSince().toString())
              .put("uploadsInFlight", client.uploadsInFlight());
      ArrayNode sessions = shown.putArray("sessions");
      for (io.tributary.core.session.SessionSummary session : client.sessions()) {
        sessions
            .addObject()
            .put("session", session.session())
            .put("dataset", session.dataset())
            .put("clientIdent", session.clientIdent())
            .put("phase", session.phase().name().toLowerCase(java.util.Locale.ROOT))
            .put("uploadedClientVersion", session.uploadedClientVersion())
            .put("downloadedServerVersion", session.downloadedServerVersion())
            .put("pendingChangesets", session.pendingChangesets());
      }
    }
    return clients;
  }

  /**
   * {@code POST /api/schema/<version>/make-current}: that version's model becomes the next version,
   * if it passes the checks of a start; 400 with the reason if not. Registering reads and writes
   * Kafka: off the event loop.
   */
  private void makeCurrent(HttpServerRequest request, String version) {
    if (request.method() != io.vertx.core.http.HttpMethod.POST) {
      request.response().setStatusCode(405).putHeader("Allow", "POST").end();
      return;
    }
    HttpServerResponse response = request.response();
    vertx
        .executeBlocking(() -> view.makeCurrent((int) parseLong(version, "version")).number())
        .onComplete(
            done -> {
              if (done.succeeded()) {
                response
                    .putHeader("Content-Type", "application/json")
                    .end("{\"current\":" + done.result() + "}");
              } else if (done.cause() instanceof IllegalArgumentException
                  || done.cause() instanceof SchemaVersions.IncompatibleModelException) {
                response.setStatusCode(400).end(done.cause().getMessage() + "\n");
              } else {
                response.setStatusCode(503).end("cannot answer now: " + done.cause() + "\n");
              }
            });
  }

  /** {@code POST /api/clients/<connection>/disconnect}: closes it; the client may come back. */
  private void disconnect(HttpServerRequest request, String connection) {
    if (request.method() != io.vertx.core.http.HttpMethod.POST) {
      request.response().setStatusCode(405).putHeader("Allow", "POST").end();
      return;
    }
    long id;
    try {
      id = parseLong(connection, "connection");
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end(e.getMessage() + "\n");
      return;
    }
    boolean closed = view.disconnect(id);
    request
        .response()
        .setStatusCode(closed ? 200 : 404)
        .putHeader("Content-Type", "application/json")
        .end(
            closed
                ? "{\"disconnected\":" + id + "}"
                : "{\"error\":\"no open connection " + id + "\"}");
  }

  private ArrayNode datasets(String after, int limit) {
    ArrayNode datasets = JSON.createArrayNode();
    view.datasets(after, limit)
        .forEach(
            (name, head) -> datasets.addObject().put("dataset", name).put("historyLength", head));
    return datasets;
  }

  /**
   * {@code /api/datasets/<name>/objects?entity=E}: a page of one entity's objects, by id, after
   * {@code after}; {@code id} gives that object alone; {@code where} and {@code equals} keep the
   * objects whose property shows that value (at most {@value #SCAN_BUDGET} objects are read per
   * request: {@code next} then continues the search); {@code at} shows the dataset as it was at a
   * server version. {@code links} names the target entity of each relation.
   */
  private ObjectNode objects(String dataset, HttpServerRequest request) {
    SchemaVersions.Version schema = view.currentSchema();
    String entityName = request.getParam("entity");
    Model model = schema.model();
    Entity entity =
        model
            .entity(entityName == null ? "" : entityName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "entity must be one of "
                            + model.entities().stream().map(Entity::name).toList()
                            + ", not "
                            + entityName));
    long after = parseLong(param(request, "after", "0"), "after");
    int limit = limit(request);
    String stored = schema.renames().entityToStored(entity.name());
    ObjectNode page = JSON.createObjectNode();
    page.put("dataset", dataset).put("entity", entity.name());
    ObjectPages pages = pages(request, dataset, stored, page);
    String id = request.getParam("id");
    Filter filter = Filter.of(entity, request.getParam("where"), request.getParam("equals"));
    ObjectNode types = page.putObject("types");
    entity.properties().forEach(p -> types.put(p.name(), p.type().name()));
    page.set("links", links(model, entity));
    ArrayNode list = page.putArray("objects");
    if (id != null && !id.isBlank()) {
      long wanted = parseLong(id.trim(), "id");
      pages.read(wanted - 1, 1).entrySet().stream()
          .filter(object -> object.getKey() == wanted)
          .forEach(object -> list.add(object(object, stored, schema.renames())));
      page.putNull("next");
      return page;
    }
    long scanned = 0;
    long cursor = after;
    while (true) {
      SortedMap<Long, SortedMap<String, Value>> read =
          pages.read(cursor, filter == null ? limit : MAX_PAGE);
      for (Map.Entry<Long, SortedMap<String, Value>> object : read.entrySet()) {
        ObjectNode node = object(object, stored, schema.renames());
        scanned++;
        cursor = object.getKey();
        if (filter == null || filter.keeps(node)) {
          list.add(node);
          if (list.size() == limit) {
            break;
          }
        }
      }
      boolean more = read.size() == (filter == null ? limit : MAX_PAGE) || list.size() == limit;
      if (!more) {
        page.putNull("next");
        break;
      }
      if (list.size() == limit || filter == null || scanned >= SCAN_BUDGET) {
        page.put("next", String.valueOf(cursor));
        break;
      }
    }
    page.put("scanned", scanned);
    return page;
  }

  /** Reads pages of one entity's objects, now or at the server version {@code at} asks for. */
  @FunctionalInterface
  private interface ObjectPages {
    SortedMap<Long, SortedMap<String, Value>> read(long afterId, int limit);
  }

  private ObjectPages pages(
      HttpServerRequest request, String dataset, String stored, ObjectNode page) {
    String at = request.getParam("at");
    if (at == null || at.isBlank()) {
      return (afterId, limit) -> view.objects(dataset, stored, afterId, limit);
    }
    long version = parseLong(at.trim(), "at");
    if (version < 0) {
      throw new IllegalArgumentException("at must be a server version, 0 or more, not " + at);
    }
    // The head the rebuild stopped at, for the page to say which version it shows.
    page.put("version", view.objectsAt(dataset, stored, version, 0, 1).head());
    return (afterId, limit) -> view.objectsAt(dataset, stored, version, afterId, limit).objects();
  }

  /** Each relation's target entity: to-one relation properties and to-many relations. */
  private static ObjectNode links(Model model, Entity entity) {
    ObjectNode links = JSON.createObjectNode();
    for (io.tributary.core.model.Property property : entity.properties()) {
      if (property.relationTarget() != null) {
        links.put(property.name(), property.relationTarget());
      }
    }
    for (io.tributary.core.model.Relation relation : entity.relations()) {
      model.entities().stream()
          .filter(target -> target.id().equals(relation.targetId()))
          .findFirst()
          .ifPresent(target -> links.put(relation.name(), target.name()));
    }
    return links;
  }

  /** Keeps the objects whose property shows {@code text}: a string as it is, else its JSON. */
  private record Filter(String property, String text) {

    static Filter of(Entity entity, String property, String text) {
      if (property == null || property.isBlank()) {
        return null;
      }
      if (entity.property(property).isEmpty()
          && entity.relations().stream().noneMatch(r -> r.name().equals(property))) {
        throw new IllegalArgumentException(
            entity.name() + " has no property " + property + " to filter by");
      }
      return new Filter(property, text == null ? "" : text);
    }

    boolean keeps(ObjectNode object) {
      JsonNode value = object.get(property);
      String shown =
          value == null || value.isNull()
              ? ""
              : value.isTextual() ? value.asText() : value.toString();
      return shown.equals(text);
    }
  }

  /**
   * {@code /api/datasets/<name>/export}: every object of a dataset as one JSON download, {@code
   * {"Task": [{"id": 1, ...}, ...], ...}}, written page by page at the pace the client reads it.
   * One export runs at a time.
   */
  private void export(HttpServerRequest request, String name) {
    String dataset;
    try {
      dataset = dataset(name);
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end(e.getMessage() + "\n");
      return;
    }
    HttpServerResponse response = request.response();
    Thread writer = new Thread(() -> writeExport(dataset, response), "admin-export");
    writer.setDaemon(true);
    if (!export.compareAndSet(null, writer)) {
      response.setStatusCode(429).end("an export is running; try again when it has ended\n");
      return;
    }
    response
        .setChunked(true)
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Disposition", "attachment; filename=\"" + dataset + ".json\"");
    writer.start();
  }

  private void writeExport(String dataset, HttpServerResponse response) {
    try {
      SchemaVersions.Version schema = view.currentSchema();
      write(response, "{");
      String entitySeparator = "";
      for (Entity entity : schema.model().entities()) {
        write(response, entitySeparator + JSON.writeValueAsString(entity.name()) + ": [");
        entitySeparator = ", ";
        writeObjects(dataset, schema.renames(), entity.name(), response);
        write(response, "]");
      }
      write(response, "}\n");
      response.end();
    } catch (IOException | InterruptedException | RuntimeException e) {
      response.reset(); // The download fails visibly rather than ending cut short.
    } finally {
      export.set(null);
    }
  }

  private void writeObjects(
      String dataset, Renames renames, String entity, HttpServerResponse response)
      throws IOException, InterruptedException {
    String stored = renames.entityToStored(entity);
    String separator = "";
    long after = 0;
    while (true) {
      SortedMap<Long, SortedMap<String, Value>> page =
          view.objects(dataset, stored, after, MAX_PAGE);
      StringBuilder chunk = new StringBuilder();
      for (Map.Entry<Long, SortedMap<String, Value>> object : page.entrySet()) {
        chunk.append(separator).append(JSON.writeValueAsString(object(object, stored, renames)));
        separator = ", ";
      }
      write(response, chunk.toString());
      if (page.size() < MAX_PAGE) {
        return;
      }
      after = page.lastKey();
    }
  }

  /** Writes, then waits while the client is behind: memory holds at most a page or so. */
  private void write(HttpServerResponse response, String chunk)
      throws IOException, InterruptedException {
    if (closing || response.closed()) {
      throw new IOException("export cancelled");
    }
    response.write(chunk);
    long deadline = System.nanoTime() + STALLED_NANOS;
    while (response.writeQueueFull()) {
      CountDownLatch drained = new CountDownLatch(1);
      response.drainHandler(ignored -> drained.countDown());
      if (!response.writeQueueFull()) {
        return; // Drained before the handler was set.
      }
      drained.await(1, TimeUnit.SECONDS);
      if (closing || response.closed()) {
        throw new IOException("export cancelled");
      }
      if (System.nanoTime() > deadline) {
        // A client that keeps the connection but stopped reading must not hold the export.
        throw new IOException("the client stopped reading");
      }
    }
  }

  /** Ends a running export and waits for the reads in progress, before the store closes. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    Thread running = export.get();
    if (running != null) {
      running.join(TimeUnit.SECONDS.toMillis(10));
    }
    reads.tryAcquire(READS, 10, TimeUnit.SECONDS);
  }

  /** An object as the admin port shows and exports it: its id and its properties' current names. */
  static ObjectNode object(
      Map.Entry<Long, SortedMap<String, Value>> object, String storedEntity, Renames renames) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", object.getKey());
    for (Map.Entry<String, Value> property : object.getValue().entrySet()) {
      renames
          .memberToCurrent(storedEntity, property.getKey())
          .ifPresent(name -> node.set(name, JSON.valueToTree(plain(property.getValue()))));
    }
    return node;
  }

  /** A value as plain JSON: numbers, text, booleans, lists; bytes in base64. */
  static Object plain(Value value) {
    if (value instanceof Value.Null) {
      return null;
    } else if (value instanceof Value.Bool b) {
      return b.value();
    } else if (value instanceof Value.Int i) {
      return i.value();
    } else if (value instanceof Value.Float f) {
      return f.value();
    } else if (value instanceof Value.Text t) {
      return t.value();
    } else if (value instanceof Value.Bytes b) {
      return Base64.getEncoder().encodeToString(b.value());
    } else if (value instanceof Value.Ids ids) {
      return List.copyOf(ids.ids());
    } else if (value instanceof Value.Vector v) {
      return v.elements().stream().map(AdminApi::plain).toList();
    }
    return value.toString();
  }

  private static String dataset(String name) {
    if (!DATASET.matcher(name).matches()) {
      throw new IllegalArgumentException("not a dataset name: " + name);
    }
    return name;
  }

  private static int limit(HttpServerRequest request) {
    long limit = parseLong(param(request, "limit", String.valueOf(PAGE)), "limit");
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
    }
    return (int) limit;
  }

  private static String param(HttpServerRequest request, String name, String fallback) {
    String value = request.getParam(name);
    return value == null ? fallback : value;
  }

  private static long parseLong(String text, String name) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + text);
    }
  }

  private static void serve(HttpServerRequest request, String type, byte[] body) {
    request
        .response()
        .putHeader("Content-Type", type)
        .end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  private static byte[] resource(String name) {
    try (InputStream in = AdminApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

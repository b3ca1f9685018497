package io.tributary.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Entity;
import io.tributary.core.model.Model;
import io.tributary.core.model.ModelJson;
import io.tributary.core.model.Renames;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The admin web UI: its page ({@code /}) and the JSON it reads ({@code /api/...}): status, schema
 * versions, datasets, and objects in the current model's names.
 */
final class AdminApi {

  static final int PAGE = 100;
  private static final int MAX_PAGE = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminView view;
  private final byte[] page;

  AdminApi(AdminView view) {
    this.view = view;
    this.page = resource("/admin/index.html");
  }

  /** Whether it answered {@code request}. */
  boolean handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/")) {
      request
          .response()
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .end(io.vertx.core.buffer.Buffer.buffer(page));
      return true;
    }
    if (!path.startsWith("/api/")) {
      return false;
    }
    if (export(request)) {
      return true;
    }
    try {
      Object body = answer(request, path.substring("/api/".length()));
      if (body == null) {
        request.response().setStatusCode(404).end("not found\n");
      } else {
        request
            .response()
            .putHeader("Content-Type", "application/json")
            .end(JSON.writeValueAsString(body));
      }
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end(e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.response().setStatusCode(503).end("stopping\n");
    } catch (IOException e) {
      request.response().setStatusCode(500).end(e.getMessage() + "\n");
    }
    return true;
  }

  private Object answer(HttpServerRequest request, String path)
      throws IOException, InterruptedException {
    String[] parts = path.split("/");
    if (path.equals("status")) {
      return view.status();
    } else if (path.equals("schema")) {
      return schema();
    } else if (path.equals("datasets")) {
      return datasets(param(request, "after", ""), limit(request));
    } else if (parts.length == 3 && parts[0].equals("datasets") && parts[2].equals("objects")) {
      return objects(parts[1], request);
    }
    return null;
  }

  /**
   * {@code /api/datasets/<name>/export}: every object of a dataset as one JSON download, {@code
   * {"Task": [{"id": 1, ...}, ...], ...}}, written page by page so that memory stays bounded.
   */
  private boolean export(HttpServerRequest request) {
    String[] parts = request.path().substring("/api/".length()).split("/");
    if (parts.length != 3 || !parts[0].equals("datasets") || !parts[2].equals("export")) {
      return false;
    }
    String dataset = parts[1];
    var response = request.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "application/json")
        .putHeader("Content-Disposition", "attachment; filename=\"" + dataset + ".json\"");
    // RocksDB reads block: off the event loop, which keeps serving the other admin requests.
    Thread writer =
        new Thread(
            () -> {
              try {
                writeExport(dataset, response::write);
                response.end();
              } catch (RuntimeException | IOException e) {
                response.reset(); // The download fails visibly rather than ending cut short.
              }
            },
            "admin-export-" + dataset);
    writer.setDaemon(true);
    writer.start();
    return true;
  }

  private void writeExport(String dataset, java.util.function.Consumer<String> out)
      throws IOException {
    Model model = view.model();
    Renames renames = view.renames();
    out.accept("{");
    String entitySeparator = "";
    for (Entity entity : model.entities()) {
      out.accept(entitySeparator + JSON.writeValueAsString(entity.name()) + ": [");
      entitySeparator = ", ";
      String stored = renames.entityToStored(entity.name());
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
        out.accept(chunk.toString());
        if (page.size() < MAX_PAGE) {
          break;
        }
        after = page.lastKey();
      }
      out.accept("]");
    }
    out.accept("}\n");
  }

  private static ObjectNode object(
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

  private ObjectNode schema() throws InterruptedException, IOException {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("current", view.schemaVersion());
    ArrayNode versions = schema.putArray("versions");
    int number = 1;
    for (Model model : view.schemaVersions()) {
      ObjectNode version = versions.addObject();
      version.put("version", number++);
      ArrayNode entities = version.putArray("entities");
      for (Entity entity : model.entities()) {
        entities
            .addObject()
            .put("name", entity.name())
            .put("uid", Long.toUnsignedString(entity.id().uid()))
            .put("properties", entity.properties().size())
            .put("relations", entity.relations().size())
            .put("sync", entity.syncEnabled());
      }
      version.set("model", JSON.readTree(ModelJson.write(model)));
    }
    return schema;
  }

  private ArrayNode datasets(String after, int limit) {
    ArrayNode datasets = JSON.createArrayNode();
    view.datasets(after, limit)
        .forEach(
            (name, head) -> datasets.addObject().put("dataset", name).put("historyLength", head));
    return datasets;
  }

  private ObjectNode objects(String dataset, HttpServerRequest request) {
    String entity = request.getParam("entity");
    Model model = view.model();
    if (entity == null || model.entity(entity).isEmpty()) {
      throw new IllegalArgumentException(
          "entity must be one of "
              + model.entities().stream().map(Entity::name).toList()
              + ", not "
              + entity);
    }
    long after = parseLong(param(request, "after", "0"), "after");
    Renames renames = view.renames();
    String stored = renames.entityToStored(entity);
    SortedMap<Long, SortedMap<String, Value>> objects =
        view.objects(dataset, stored, after, limit(request));
    ObjectNode page = JSON.createObjectNode();
    page.put("dataset", dataset).put("entity", entity);
    ObjectNode types = page.putObject("types");
    model
        .entity(entity)
        .orElseThrow()
        .properties()
        .forEach(p -> types.put(p.name(), p.type().name()));
    ArrayNode list = page.putArray("objects");
    for (Map.Entry<Long, SortedMap<String, Value>> object : objects.entrySet()) {
      list.add(object(object, stored, renames));
    }
    page.put("next", objects.size() < limit(request) ? null : String.valueOf(objects.lastKey()));
    return page;
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

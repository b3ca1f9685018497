package io.tributary.server;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.core.state.DatasetAtVersion;
import io.tributary.kafka.SchemaVersions;
import io.tributary.materializer.HistoryExport;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The admin UI's view of the one-process server. */
final class ServerAdminView implements AdminView {

  private final SyncServer server;
  private final String syncAddress;

  ServerAdminView(SyncServer server, String syncAddress) {
    this.server = server;
    this.syncAddress = syncAddress;
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("Version", Main.Version.text());
    status.put("Ready", server.ready());
    status.put(
        "Uptime",
        Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())
            .withNanos(0)
            .toString()
            .substring(2)
            .toLowerCase(java.util.Locale.ROOT));
    status.put("Sync address", syncAddress);
    status.put("Schema version", server.currentSchemaVersion());
    status.put("Connected clients", server.gateway().connectionCount());
    status.put("Bound sessions", server.gateway().sessionCount());
    status.put(
        "Kafka",
        server.embeddedBroker() ? "embedded, " + server.kafkaBootstrap() : server.kafkaBootstrap());
    status.put("Data directory", server.dataDirectory().toAbsolutePath().toString());
    status.put("Java", System.getProperty("java.vm.name") + " " + Runtime.version());
    status.put(
        "Heap used",
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024)
            + " MiB of "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + " MiB");
    return status;
  }

  @Override
  public SchemaVersions.Version currentSchema() {
    return server.gateway().currentSchema();
  }

  @Override
  public List<Model> schemaVersions() throws InterruptedException {
    return new SchemaVersions(server.kafkaBootstrap(), server.topics())
        .all().stream().map(SchemaVersions.Version::model).toList();
  }

  @Override
  public SchemaVersions.Version makeCurrent(int number) throws InterruptedException {
    return new SchemaVersions(server.kafkaBootstrap(), server.topics()).makeCurrent(number);
  }

  @Override
  public SortedMap<String, Long> datasets(String after, int limit) {
    return server.store().datasets(after, limit);
  }

  @Override
  public SortedMap<Long, SortedMap<String, Value>> objects(
      String dataset, String storedEntity, long afterId, int limit) {
    return server.store().objects(dataset, storedEntity, afterId, limit);
  }

  /** The dataset last rebuilt at a version: an operator pages through one version at a time. */
  private record Rebuilt(
      String dataset,
      long version,
      long head,
      java.util.NavigableMap<ObjectKey, SortedMap<String, Value>> objects) {}

  private Rebuilt lastRebuilt;

  @Override
  public synchronized AtVersion objectsAt(
      String dataset, String storedEntity, long version, long afterId, int limit) {
    if (lastRebuilt == null
        || !lastRebuilt.dataset().equals(dataset)
        || lastRebuilt.version() != version) {
      DatasetAtVersion state =
          HistoryExport.read(server.kafkaBootstrap(), server.topics(), dataset, version);
      lastRebuilt = new Rebuilt(dataset, version, state.head(), new TreeMap<>(state.objects()));
    }
    // Ids page in unsigned order, as the store keeps them; ObjectKey sorts them signed.
    SortedMap<Long, SortedMap<String, Value>> page = new TreeMap<>(Long::compareUnsigned);
    for (var object :
        lastRebuilt
            .objects()
            .subMap(
                new ObjectKey(storedEntity, Long.MIN_VALUE),
                true,
                new ObjectKey(storedEntity, Long.MAX_VALUE),
                true)
            .entrySet()) {
      if (Long.compareUnsigned(object.getKey().id(), afterId) > 0) {
        page.put(object.getKey().id(), object.getValue());
        if (page.size() > limit) {
          page.remove(page.lastKey());
        }
      }
    }
    return new AtVersion(lastRebuilt.head(), page);
  }

  @Override
  public List<io.tributary.gateway.ClientSummary> clients(int limit) {
    return server.gateway().clients(limit);
  }

  @Override
  public boolean disconnect(long id) {
    return server.gateway().disconnect(id);
  }
}

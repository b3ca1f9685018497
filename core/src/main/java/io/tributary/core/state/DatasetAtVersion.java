package io.tributary.core.state;

import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One dataset's objects as they were at a server version, rebuilt from its accepted history events
 * in order: time travel, and the state an export writes. Applies exactly what the materializer
 * applies ({@link HistoryApplier}), in memory, and ignores what comes after the version.
 */
public final class DatasetAtVersion {

  private final long version;
  private final InMemory dataset = new InMemory();

  /**
   * @param version the server version to stop at
   */
  public DatasetAtVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("a version is 0 or more, not " + version);
    }
    this.version = version;
  }

  /** Applies the next accepted event of the dataset, unless the version is already reached. */
  public void apply(HistoryEvent event) {
    if (reached()) {
      return;
    }
    if (event instanceof HistoryEvent.Integrated integrated
        && integrated.version() != dataset.head + 1) {
      throw new IllegalArgumentException(
          "version " + integrated.version() + " does not follow " + dataset.head);
    }
    HistoryApplier.apply(event, dataset);
  }

  /** Whether every change up to the version has been applied. */
  public boolean reached() {
    return dataset.head >= version;
  }

  /** The last version applied. */
  public long head() {
    return dataset.head;
  }

  /** The objects at {@link #head()}, by entity (as stored) and id. */
  public SortedMap<ObjectKey, SortedMap<String, Value>> objects() {
    return dataset.objects.snapshot();
  }

  private static final class InMemory implements MaterializedDataset {
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final Map<Long, ClientFile> clients = new HashMap<>();
    private long head;

    @Override
    public Optional<SortedMap<String, Value>> get(ObjectKey key) {
      return objects.get(key);
    }

    @Override
    public void put(ObjectKey key, SortedMap<String, Value> properties) {
      objects.put(key, properties);
    }

    @Override
    public void remove(ObjectKey key) {
      objects.remove(key);
    }

    @Override
    public void appendHistory(HistoryEntry entry) {
      head = entry.version(); // The entries themselves are not kept: only the state is wanted.
    }

    @Override
    public Optional<ClientFile> client(long ident) {
      return Optional.ofNullable(clients.get(ident));
    }

    @Override
    public void putClient(ClientFile client) {
      clients.put(client.ident(), client);
    }
  }
}

package io.tributary.server;

import io.tributary.core.changeset.Value;
import io.tributary.core.model.Model;
import io.tributary.kafka.SchemaVersions;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** What the admin web UI shows of a running server. */
interface AdminView {

  /** Runtime facts, e.g. the version, uptime, addresses and counts, as label and value. */
  Map<String, Object> status();

  /** The current schema version: its number, model and names, read together. */
  SchemaVersions.Version currentSchema();

  /** Every schema version's model, oldest first (version 1 first). */
  List<Model> schemaVersions() throws InterruptedException;

  /** A page of datasets with their history length. */
  SortedMap<String, Long> datasets(String after, int limit);

  /** A page of the objects of one entity, by stored entity name, with stored property names. */
  SortedMap<Long, SortedMap<String, Value>> objects(
      String dataset, String storedEntity, long afterId, int limit);

  /** A page of one entity's objects as they were at a server version, and that version's head. */
  record AtVersion(long head, SortedMap<Long, SortedMap<String, Value>> objects) {}

  /**
   * The same page as {@link #objects} at server {@code version} (the dataset's head if it has
   * fewer), rebuilt from history.
   */
  AtVersion objectsAt(String dataset, String storedEntity, long version, long afterId, int limit);

  /**
   * Makes schema version {@code number} current again, as the next version, with the checks of a
   * start.
   */
  SchemaVersions.Version makeCurrent(int number) throws InterruptedException;

  /** The connected clients, oldest first, at most {@code limit}. */
  List<io.tributary.gateway.ClientSummary> clients(int limit);

  /** Closes client connection {@code id}; false if it is not open. */
  boolean disconnect(long id);
}

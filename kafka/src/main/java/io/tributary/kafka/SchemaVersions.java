package io.tributary.kafka;

import io.tributary.core.model.Model;
import io.tributary.core.model.ModelJson;
import io.tributary.core.model.ModelParser;
import io.tributary.core.model.Renames;
import io.tributary.core.model.SchemaChange;
import io.tributary.schemas.SchemaVersionRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema versions of a deployment, kept in the compacted schemas topic (key: the version number
 * and a key of the record's own). The first record of a number is that version: two gateways that
 * insert the same number at once agree on which one won. Every gateway of a cluster reads the same
 * versions, so they all validate against the same current model.
 */
public final class SchemaVersions {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaVersions.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * An accepted model and its number: 1 for the first, one more for each accepted change.
   *
   * @param renames its names against those history stores (the first of each uid)
   */
  public record Version(int number, Model model, Renames renames) {

    static Version of(NavigableMap<Integer, Model> versions, int number) {
      return new Version(
          number,
          versions.get(number),
          Renames.of(List.copyOf(versions.headMap(number, true).values())));
    }
  }

  private final String bootstrap;
  private final Topics topics;

  public SchemaVersions(String bootstrap, Topics topics) {
    this.bootstrap = bootstrap;
    this.topics = topics;
  }

  /**
   * Makes {@code model} current: the first model becomes version 1, the same model selects its
   * version, a compatible change becomes the next version. A model file that is an older version
   * selects the current one, which the cluster is on.
   *
   * @throws IncompatibleModelException if the change is not compatible; the current version stays
   */
  public Version register(Model model) throws InterruptedException {
    NavigableMap<Integer, Model> versions = readAll();
    if (versions.isEmpty()) {
      LOG.info("Database has no schema, loading from the model file");
      return insert(1, model);
    }
    Version current = Version.of(versions, versions.lastKey());
    SchemaChange change = SchemaChange.between(current.model(), model);
    if (change.unchanged()) {
      LOG.info("Model file matches schema version ID {}", current.number());
      return current;
    }
    for (Map.Entry<Integer, Model> older : versions.headMap(current.number()).entrySet()) {
      if (SchemaChange.between(older.getValue(), model).unchanged()) {
        LOG.warn(
            "Model file is schema version ID {}; staying on the newer schema version ID {}",
            older.getKey(),
            current.number());
        return current;
      }
    }
    List<String> incompatible = incompatibleWithAny(versions, model);
    if (!incompatible.isEmpty()) {
      throw new IncompatibleModelException(
          "Model file is incompatible with schema version ID "
              + current.number()
              + ", which stays current: "
              + String.join("; ", incompatible));
    }
    LOG.info(
        "Model file changes schema version ID {}: {}",
        current.number(),
        String.join(", ", change.compatible()));
    return insert(current.number() + 1, model);
  }

  /**
   * Makes an earlier version current again, as the next version with its model: checked against
   * every version, as a model file is at start (a uid one version retired must not come back).
   *
   * @throws IllegalArgumentException if there is no version {@code number}
   * @throws IncompatibleModelException if its model cannot become current; nothing changes
   */
  public Version makeCurrent(int number) throws InterruptedException {
    NavigableMap<Integer, Model> versions = readAll();
    Model model = versions.get(number);
    if (model == null) {
      throw new IllegalArgumentException("there is no schema version ID " + number);
    }
    int current = versions.lastKey();
    if (SchemaChange.between(versions.get(current), model).unchanged()) {
      return Version.of(versions, current);
    }
    List<String> incompatible = incompatibleWithAny(versions, model);
    if (!incompatible.isEmpty()) {
      throw new IncompatibleModelException(
          "Schema version ID "
              + number
              + " cannot become current again; schema version ID "
              + current
              + " stays current: "
              + String.join("; ", incompatible));
    }
    LOG.info(
        "Schema version ID {} made current again, as schema version ID {}", number, current + 1);
    return insert(current + 1, model);
  }

  /**
   * What keeps {@code model} from becoming current, against every version, not only the current
   * one: a uid that one version dropped without retiring it must not come back as something else.
   */
  private static List<String> incompatibleWithAny(
      NavigableMap<Integer, Model> versions, Model model) {
    return versions.values().stream()
        .flatMap(version -> SchemaChange.between(version, model).incompatible().stream())
        .distinct()
        .toList();
  }

  /** The current version, or none before the first model is registered. */
  public java.util.Optional<Version> current() throws InterruptedException {
    NavigableMap<Integer, Model> versions = readAll();
    return versions.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(Version.of(versions, versions.lastKey()));
  }

  /** Every version, oldest first. */
  public List<Version> all() throws InterruptedException {
    NavigableMap<Integer, Model> versions = readAll();
    return versions.keySet().stream().map(number -> Version.of(versions, number)).toList();
  }

  /**
   * Reads the schemas topic until closed, calling {@code onVersion} with the newest version each
   * time one is inserted (and once for the newest at start).
   */
  public Following follow(String name, java.util.function.Consumer<Version> onVersion) {
    return new Follower(name, onVersion).start();
  }

  /** A reader of the schemas topic, until closed. */
  public interface Following extends AutoCloseable {
    @Override
    void close() throws InterruptedException;
  }

  private final class Follower implements Following {
    private final String name;
    private final java.util.function.Consumer<Version> onVersion;
    private final RoleThread thread;

    Follower(String name, java.util.function.Consumer<Version> onVersion) {
      this.name = name;
      this.onVersion = onVersion;
      this.thread = new RoleThread(name, LOG, "reading the schema versions again", this::read);
    }

    Follower start() {
      thread.start();
      return this;
    }

    private void read() {
      TopicPartition partition = new TopicPartition(topics.schemas(), 0);
      NavigableMap<Integer, Model> versions = new TreeMap<>();
      try (KafkaConsumer<String, byte[]> consumer = new TailingConsumer(bootstrap, name)) {
        thread.wakeOnClose(consumer);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        int newest = 0;
        while (thread.running()) {
          consumer.poll(KafkaSettings.IDLE_POLL).forEach(record -> add(versions, record));
          if (!versions.isEmpty() && versions.lastKey() > newest) {
            newest = versions.lastKey();
            onVersion.accept(Version.of(versions, newest));
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      thread.close();
    }
  }

  private Version insert(int number, Model model) throws InterruptedException {
    SchemaVersionRecord record =
        SchemaVersionRecord.newBuilder()
            .setVersion(number)
            .setModel(ModelJson.write(model))
            .setAcceptedAt(System.currentTimeMillis())
            .build();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(bootstrap, "schema-versions"))) {
      producer
          .send(new ProducerRecord<>(topics.schemas(), 0, key(number), RecordCodec.encode(record)))
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write schema version " + number + ": " + e.getCause().getMessage(), e);
    }
    // Two gateways may insert the same number at once: the first record of a number wins.
    NavigableMap<Integer, Model> versions = readAll();
    if (!model.equals(versions.get(number))) {
      throw new IllegalStateException(
          "Another gateway inserted schema version ID "
              + number
              + " at the same time; start again");
    }
    LOG.info("Inserted new schema version ID {}", number);
    return Version.of(versions, number);
  }

  /**
   * A record's key: its number and a key of its own. Compaction keeps the last record of a key and
   * the order of what it keeps; with a key per record it keeps every record, so the first record of
   * a number stays first.
   */
  private static String key(int number) {
    return number + ":" + java.util.UUID.randomUUID();
  }

  private NavigableMap<Integer, Model> readAll() throws InterruptedException {
    NavigableMap<Integer, Model> versions = new TreeMap<>();
    TopicPartition partition = new TopicPartition(topics.schemas(), 0);
    java.util.Properties settings = KafkaSettings.consumer(bootstrap, "schema-versions", null);
    // A start waits for this read. Just after a broker starts, a fetch can come back empty though
    // records are there (the partition's new leader does not know its high watermark yet); the
    // next one should not wait the 500 ms an idle follower waits.
    settings.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (consumer.position(partition, READ_TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read the schema versions from " + partition);
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        consumer.poll(Duration.ofMillis(200)).forEach(record -> add(versions, record));
      }
    }
    return versions;
  }

  /** Adds a record's version, unless an earlier record already holds its number: the first wins. */
  private static void add(
      NavigableMap<Integer, Model> versions, ConsumerRecord<String, byte[]> record) {
    SchemaVersionRecord version = decode(record);
    versions.putIfAbsent(
        version.getVersion(),
        ModelParser.parse(version.getModel(), "schema version " + version.getVersion()));
  }

  private static SchemaVersionRecord decode(ConsumerRecord<String, byte[]> record) {
    try {
      return RecordCodec.decodeSchemaVersion(record.value());
    } catch (IOException e) {
      throw new IllegalStateException(
          "unreadable schema version record at offset " + record.offset() + ": " + e.getMessage(),
          e);
    }
  }

  /** A model that cannot become the next schema version. */
  public static final class IncompatibleModelException extends RuntimeException {
    public IncompatibleModelException(String message) {
      super(message);
    }
  }
}

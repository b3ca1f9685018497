package io.tributary.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client settings shared by the roles: dataset names as keys, Avro bytes as values. */
public final class KafkaSettings {

  private KafkaSettings() {}

  /**
   * An idempotent producer that waits for every in-sync replica: a changeset is acknowledged only
   * after its history record is committed. No linger: each record goes out at once.
   */
  public static Properties producer(String bootstrap, String clientId) {
    return producer(bootstrap, clientId, 0);
  }

  /**
   * The same for a role that writes a batch per poll and {@link
   * org.apache.kafka.clients.producer.Producer#flush() flushes} at its end: records wait up to
   * {@link #BATCH_LINGER_MS} to share a produce request, and the flush sends the batch at once. A
   * broker's work is per request far more than per record (at 1,000 records/s one hop cost the
   * embedded broker 52 % of a core without linger, 23 % with 5 ms; see docs/benchmarks.md).
   */
  public static Properties batchProducer(String bootstrap, String clientId) {
    return producer(bootstrap, clientId, BATCH_LINGER_MS);
  }

  /** How long a batch producer's records may wait for others; a flush ends the wait. */
  static final int BATCH_LINGER_MS = 20;

  private static Properties producer(String bootstrap, String clientId, int lingerMs) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /**
   * How long a role's loop waits in {@code poll} when nothing arrives. Records end the wait at once
   * and {@link RoleThread#close()} wakes it, so this only sets how often an idle loop turns.
   */
  public static final Duration IDLE_POLL = Duration.ofSeconds(1);

  /** A consumer that commits nothing by itself and reads only committed records. */
  public static Properties consumer(String bootstrap, String clientId, String groupId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    if (groupId != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_RECORD_BYTES);
    // A fetch returns as soon as a record arrives, whatever this says: it only sets how often an
    // idle consumer asks again (what an idle server costs).
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }
}

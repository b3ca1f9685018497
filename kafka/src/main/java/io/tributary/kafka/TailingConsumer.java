package io.tributary.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A consumer that follows the same partitions for as long as it runs, without a group (the
 * materializer, a gateway's downloads and schema versions). Its idle fetches wait longer at the
 * broker than a group member's can (a group member's new partitions would wait behind a fetch under
 * way): each idle fetch is a request the broker handles, and an idle server's broker handled little
 * else. It closes without waiting for such a fetch to end.
 */
public final class TailingConsumer extends KafkaConsumer<String, byte[]> {

  /** How long the broker holds a fetch that finds nothing; a record ends it at once. */
  public static final int IDLE_FETCH_WAIT_MS = 5_000;

  public TailingConsumer(String bootstrap, String clientId) {
    super(settings(bootstrap, clientId));
  }

  private static Properties settings(String bootstrap, String clientId) {
    Properties props = KafkaSettings.consumer(bootstrap, clientId, null);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, IDLE_FETCH_WAIT_MS);
    return props;
  }

  /**
   * Closes at once. A plain close waits for the fetch under way, up to {@link #IDLE_FETCH_WAIT_MS};
   * with no group to leave and no offset to commit, there is nothing to wait for.
   */
  @Override
  public void close() {
    close(CloseOptions.timeout(Duration.ZERO));
  }
}

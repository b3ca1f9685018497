package io.tributary.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A consumer that follows the same partitions for as long as it runs, without a group (the
 * materializer, a gateway's downloads and schema versions): its idle fetches wait long at the
 * broker ({@link KafkaSettings#tailingConsumer}), and it closes without waiting for one to end.
 */
public final class TailingConsumer extends KafkaConsumer<String, byte[]> {

  public TailingConsumer(String bootstrap, String clientId) {
    super(KafkaSettings.tailingConsumer(bootstrap, clientId));
  }

  /**
   * Closes at once. A plain close waits for the fetch under way, up to 5 s here; with no group to
   * leave and no offset to commit, there is nothing to wait for.
   */
  @Override
  public void close() {
    close(CloseOptions.timeout(Duration.ZERO));
  }
}

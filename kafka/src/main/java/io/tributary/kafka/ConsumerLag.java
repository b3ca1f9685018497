package io.tributary.kafka;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records a consumer's assigned partitions hold beyond its position, as of its last poll.
 * A consumer may be used by one thread only, so its role thread calls {@link #update} after each
 * poll and a metrics scrape reads {@link #records} from any thread.
 */
public final class ConsumerLag {

  private final AtomicLong records = new AtomicLong();

  /** Sums the lag the consumer knows from its last fetches; asks the broker nothing. */
  public void update(Consumer<?, ?> consumer) {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0);
    }
    records.set(total);
  }

  /** No partitions any more: no lag. */
  public void clear() {
    records.set(0);
  }

  public long records() {
    return records.get();
  }
}

package io.tributary.materializer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the change events show, in Micrometer's global registry: how many were published, how many
 * no schema could describe, and how many wait in the outbox (which grows while Kafka does not take
 * them).
 */
final class ChangeEventMetrics implements AutoCloseable {

  private final MeterRegistry registry = Metrics.globalRegistry;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong trimmed = new AtomicLong();
  private final Counter publishedCounter;
  private final Counter skippedCounter;
  private final Gauge pendingGauge;

  ChangeEventMetrics(String instance) {
    publishedCounter =
        Counter.builder("tributary.materializer.change.events")
            .description("Change events published to the change events topic")
            .tag("materializer", instance)
            .register(registry);
    skippedCounter =
        Counter.builder("tributary.materializer.change.events.skipped")
            .description("Change events of entities the newest schema version no longer has")
            .tag("materializer", instance)
            .register(registry);
    pendingGauge =
        Gauge.builder("tributary.materializer.change.events.pending", this, m -> m.pending())
            .description("Change events in the outbox, not yet published")
            .tag("materializer", instance)
            .register(registry);
  }

  /** Counts events written to the outbox. */
  void written(int count) {
    written.addAndGet(count);
  }

  /** Counts events that left the outbox. */
  void published(int count) {
    published.addAndGet(count);
    publishedCounter.increment(count);
  }

  /**
   * Counts held events dropped because the group's mark passed them (their active published them),
   * on a takeover or while this member holds the partition without being its active.
   */
  void trimmed(int count) {
    trimmed.addAndGet(count);
  }

  void skipped() {
    skippedCounter.increment();
  }

  /**
   * Events written since the start and not yet published or dropped: an estimate (a previous run's
   * events are not counted as written, and a drop racing a publish may count one event twice).
   */
  long pending() {
    return Math.max(0, written.get() - published.get() - trimmed.get());
  }

  @Override
  public void close() {
    registry.remove(publishedCounter);
    registry.remove(skippedCounter);
    registry.remove(pendingGauge);
  }
}

package io.tributary.materializer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.kafka.ConsumerLag;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a materializer shows, in Micrometer's global registry: its consumer lag, the number of
 * datasets and the history length of the longest ones (at most {@value #DATASETS_SHOWN}, so the
 * number of time series stays bounded); in a group, the partitions it holds as active and as
 * standby, how far its standbys are behind, and the downloads it published again on takeovers.
 */
final class MaterializerMetrics implements AutoCloseable {

  static final int DATASETS_SHOWN = 20;
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final MeterRegistry registry = Metrics.globalRegistry;
  private final ConsumerLag lag = new ConsumerLag();
  private final HistoryLengths lengths = new HistoryLengths(DATASETS_SHOWN);
  private final AtomicLong datasets = new AtomicLong();
  private final ConsumerLag standbyLag = new ConsumerLag();
  private final java.util.concurrent.atomic.AtomicInteger actives =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger standbys =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.List<io.micrometer.core.instrument.Meter> groupMeters;
  private final io.micrometer.core.instrument.Counter republished;
  private final Gauge lagGauge;
  private final Gauge datasetsGauge;
  private final MultiGauge historyLength;
  private long refreshedAt;

  MaterializerMetrics(String instance) {
    lagGauge =
        Gauge.builder("tributary.materializer.lag", lag, ConsumerLag::records)
            .description("History records not yet applied to the store")
            .baseUnit("records")
            .tag("materializer", instance)
            .register(registry);
    datasetsGauge =
        Gauge.builder("tributary.datasets", datasets, AtomicLong::get)
            .description("Datasets with history")
            .tag("materializer", instance)
            .register(registry);
    historyLength =
        MultiGauge.builder("tributary.history.length")
            .description("History length (head version) of the longest datasets")
            .baseUnit("changesets")
            .tag("materializer", instance)
            .register(registry);
    republished =
        io.micrometer.core.instrument.Counter.builder(
                "tributary.materializer.downloads.republished")
            .description(
                "Downloads published again on taking a partition over: applied, never noted")
            .tag("materializer", instance)
            .register(registry);
    groupMeters =
        java.util.List.of(
            Gauge.builder("tributary.materializer.partitions", actives, Number::doubleValue)
                .description("History partitions held, as active or as standby")
                .tags("materializer", instance, "role", "active")
                .register(registry),
            Gauge.builder("tributary.materializer.partitions", standbys, Number::doubleValue)
                .description("History partitions held, as active or as standby")
                .tags("materializer", instance, "role", "standby")
                .register(registry),
            Gauge.builder("tributary.materializer.standby.lag", standbyLag, ConsumerLag::records)
                .description("History records the standby partitions have not applied yet")
                .baseUnit("records")
                .tag("materializer", instance)
                .register(registry),
            republished);
  }

  ConsumerLag standbyLag() {
    return standbyLag;
  }

  /** The partitions held now. */
  void holding(int activePartitions, int standbyPartitions) {
    actives.set(activePartitions);
    standbys.set(standbyPartitions);
  }

  void republished(int downloads) {
    republished.increment(downloads);
  }

  ConsumerLag lag() {
    return lag;
  }

  HistoryLengths lengths() {
    return lengths;
  }

  /** Publishes the lengths, at most every second: the set of rows is rebuilt each time. */
  void refresh(boolean now) {
    long time = System.nanoTime();
    if (!now && time - refreshedAt < REFRESH_NANOS) {
      return;
    }
    refreshedAt = time;
    datasets.set(lengths.datasets());
    historyLength.register(
        lengths.longest().entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("dataset", e.getKey()), e.getValue()))
            .toList(),
        true);
  }

  @Override
  public void close() {
    historyLength.register(java.util.List.of(), true);
    registry.remove(lagGauge);
    registry.remove(datasetsGauge);
    groupMeters.forEach(registry::remove);
  }
}

package io.tributary.sequencer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.ConsumerLag;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a sequencer counts, in Micrometer's global registry, tagged with its instance id. */
final class SequencerMetrics implements AutoCloseable {

  private final MeterRegistry registry = Metrics.globalRegistry;
  private final ConsumerLag lag = new ConsumerLag();
  private final Counter integrated;
  private final Counter rejected;
  private final Gauge lagGauge;
  private final Timer takeovers;
  private final Timer checkpoints;

  SequencerMetrics(String instance) {
    integrated =
        Counter.builder("tributary.changesets.integrated")
            .description("Changesets integrated into history")
            .tag("sequencer", instance)
            .register(registry);
    rejected =
        Counter.builder("tributary.uploads.rejected")
            .description("Uploads the sequencer refused (a client error, e.g. a bad progress)")
            .tag("sequencer", instance)
            .register(registry);
    lagGauge =
        Gauge.builder("tributary.sequencer.lag", lag, ConsumerLag::records)
            .description("Uploads waiting to be sequenced, over the partitions this one owns")
            .baseUnit("records")
            .tag("sequencer", instance)
            .register(registry);
    takeovers =
        Timer.builder("tributary.sequencer.takeover")
            .description("Taking over a history partition: checkpoint, history after it, marker")
            .tag("sequencer", instance)
            .register(registry);
    checkpoints =
        Timer.builder("tributary.sequencer.checkpoint")
            .description("Writing a checkpoint of a history partition")
            .tag("sequencer", instance)
            .register(registry);
  }

  void tookOver(long nanos) {
    takeovers.record(nanos, TimeUnit.NANOSECONDS);
  }

  void checkpointed(long nanos) {
    checkpoints.record(nanos, TimeUnit.NANOSECONDS);
  }

  ConsumerLag lag() {
    return lag;
  }

  void recorded(HistoryEvent event) {
    if (event instanceof HistoryEvent.Integrated) {
      integrated.increment();
    } else if (event instanceof HistoryEvent.UploadRejected) {
      rejected.increment();
    }
  }

  /** A stopped sequencer's meters go, so that a scrape does not show them frozen. */
  @Override
  public void close() {
    for (Meter meter : List.of(integrated, rejected, lagGauge, takeovers, checkpoints)) {
      registry.remove(meter);
    }
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * On the registry the admin port scrapes: the statistics read the meters {@code /metrics} shows.
 */
class SyncStatisticsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SyncStatistics statistics = new SyncStatistics(registry);

  @Test
  void countersBecomeRatesGaugesStayAndErrorsGetASeriesPerCode() {
    AtomicInteger connections = new AtomicInteger(3);
    registry.gauge("tributary.gateway.connections", connections);
    Counter integrated = registry.counter("tributary.changesets.integrated");
    Counter refused = registry.counter("tributary.gateway.errors", "code", "103");

    statistics.sample(1_000);
    integrated.increment(10);
    refused.increment(2);
    statistics.sample(1_001);
    integrated.increment(30);
    statistics.sample(1_003); // Two seconds later: 15 per second.

    JsonNode hour = statistics.window(false, 1_003);
    assertThat(hour.path("step").asInt()).isEqualTo(1);
    assertThat(tail(hour, "integrated", 4))
        .as("the second the timer missed gets the same rate: the seconds add up to the count")
        .containsExactly(null, 10.0, 15.0, 15.0);
    assertThat(tail(hour, "connections", 1)).containsExactly(3.0);
    assertThat(tail(hour, "error103", 3)).containsExactly(2.0, 0.0, 0.0);
    assertThat(hour.path("series").path("error103").path("label").asText())
        .isEqualTo("Errors 103 per second");

    JsonNode day = statistics.window(true, 1_003);
    assertThat(day.path("step").asInt()).isEqualTo(60);
    assertThat(tail(day, "integrated", 1)[0])
        .as("the minute's average, to a thousandth")
        .isCloseTo((10.0 + 15.0 + 15.0) / 3, org.assertj.core.api.Assertions.within(0.001));
  }

  @Test
  void aSecondSampledTwiceLosesNothing() {
    Counter integrated = registry.counter("tributary.changesets.integrated");
    statistics.sample(3_000);
    statistics.sample(3_001);
    integrated.increment(5);
    statistics.sample(3_001); // The timer fired twice in one second.
    statistics.sample(3_002);

    assertThat(tail(statistics.window(false, 3_002), "integrated", 2)).containsExactly(0.0, 5.0);
  }

  @Test
  void theUploadLatencyPercentilesComeFromTheSecondsOwnSamples() {
    Timer latency =
        Timer.builder("tributary.gateway.upload.latency")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    latency.record(Duration.ofMillis(500)); // Before the first sample: not in any second.
    statistics.sample(2_000);
    for (int i = 0; i < 99; i++) {
      latency.record(Duration.ofMillis(2));
    }
    latency.record(Duration.ofMillis(40));
    statistics.sample(2_001);

    JsonNode hour = statistics.window(false, 2_001);
    Double median = tail(hour, "uploadP50", 1)[0];
    Double worst = tail(hour, "uploadP99", 1)[0];
    assertThat(median).isBetween(2.0, 3.0);
    assertThat(worst).isBetween(2.0, 3.0);
    assertThat(SyncStatistics.percentile(Map.of(1.0, 5.0, 2.0, 10.0), Map.of(), 1.0))
        .isEqualTo(2.0);
    assertThat(SyncStatistics.percentile(Map.of(1.0, 5.0), Map.of(1.0, 5.0), 0.5)).isNaN();
  }

  private static Double[] tail(JsonNode window, String series, int count) {
    JsonNode values = window.path("series").path(series).path("values");
    Double[] tail = new Double[count];
    for (int i = 0; i < count; i++) {
      JsonNode value = values.get(values.size() - count + i);
      tail[i] = value.isNull() ? null : value.asDouble();
    }
    return tail;
  }
}

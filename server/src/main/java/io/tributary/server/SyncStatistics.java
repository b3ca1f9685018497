package io.tributary.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.tributary.core.stats.RollingSeries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The admin console's statistics: the meters that {@code /metrics} exports, sampled every second
 * into an hour at 1 s and a day at 1 min. Counters become rates (per second), gauges are kept as
 * they are, and the upload and fan-out latencies' histograms give each second's percentiles from
 * the buckets they filled in that second. Errors get a series per code, made when a code first
 * occurs.
 */
final class SyncStatistics {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HOUR_SLOTS = 3_600;
  private static final int DAY_SLOTS = 1_440;

  /** The latencies charted as percentiles: the key's prefix, the timer, and the chart's words. */
  private record Latency(String key, String timer, String label) {}

  private static final List<Latency> LATENCIES =
      List.of(
          new Latency("upload", "tributary.gateway.upload.latency", "Upload latency"),
          new Latency("fanout", "tributary.gateway.download.latency", "Fan-out latency"));

  /** How a series reads its value from the registry. */
  private record Measure(String label, boolean rate, ToDoubleFunction<MeterRegistry> read) {}

  private final MeterRegistry registry;
  private final Map<String, Measure> measures = new LinkedHashMap<>();
  private final Map<String, RollingSeries> seconds = new LinkedHashMap<>();
  private final Map<String, RollingSeries> minutes = new LinkedHashMap<>();
  private final Map<String, Double> lastTotals = new TreeMap<>();
  private final Map<String, Map<Double, Double>> lastBuckets = new TreeMap<>();
  private long lastSecond = Long.MIN_VALUE;

  SyncStatistics(MeterRegistry registry) {
    this.registry = registry;
    gauge("connections", "Connected clients", "tributary.gateway.connections");
    gauge("sessions", "Bound sessions", "tributary.gateway.sessions");
    counter("connects", "Connects per second", "tributary.gateway.connects");
    counter("uploaded", "Changesets uploaded per second", "tributary.gateway.changesets.uploaded");
    counter("integrated", "Changesets integrated per second", "tributary.changesets.integrated");
    counter(
        "downloaded",
        "Changesets downloaded per second",
        "tributary.gateway.changesets.downloaded");
    counter("bytesOut", "Bytes out per second", "tributary.gateway.bytes.out");
    counter("errors", "Errors per second", "tributary.gateway.errors");
    gauge("sequencerLag", "Sequencer lag (uploads)", "tributary.sequencer.lag");
    gauge("materializerLag", "Materializer lag (history records)", "tributary.materializer.lag");
  }

  private void gauge(String key, String label, String meter) {
    measures.put(
        key,
        new Measure(
            label, false, r -> r.find(meter).gauges().stream().mapToDouble(Gauge::value).sum()));
  }

  private void counter(String key, String label, String meter) {
    measures.put(
        key,
        new Measure(
            label, true, r -> r.find(meter).counters().stream().mapToDouble(Counter::count).sum()));
  }

  /** Takes the sample of {@code epochSecond}: one per second, from a timer. */
  synchronized void sample(long epochSecond) {
    if (lastSecond != Long.MIN_VALUE && epochSecond <= lastSecond) {
      // A timer that fires twice within one second: the next sample counts what came meanwhile.
      return;
    }
    addErrorCodes();
    long elapsed = lastSecond == Long.MIN_VALUE ? 0 : epochSecond - lastSecond;
    for (Map.Entry<String, Measure> entry : measures.entrySet()) {
      double raw = entry.getValue().read().applyAsDouble(registry);
      if (!entry.getValue().rate()) {
        add(entry.getKey(), epochSecond, raw);
        continue;
      }
      Double last = lastTotals.put(entry.getKey(), raw);
      // The first sample of a counter only sets where it stands.
      double rate = last == null || elapsed <= 0 ? Double.NaN : Math.max(0, raw - last) / elapsed;
      // A late timer (a busy machine) gives each second it missed the same rate: no holes, and the
      // seconds still add up to the count (at most a minute back; longer is a stopped process).
      for (long second = epochSecond - Math.min(Math.max(elapsed, 1), 60) + 1;
          second <= epochSecond;
          second++) {
        add(entry.getKey(), second, rate);
      }
    }
    for (Latency latency : LATENCIES) {
      sampleLatency(latency, epochSecond);
    }
    lastSecond = epochSecond;
  }

  /** A rate per error code, from the first second the code is counted. */
  private void addErrorCodes() {
    for (Counter counter : registry.find("tributary.gateway.errors").counters()) {
      String code = counter.getId().getTag("code");
      String key = "error" + code;
      if (code != null && !measures.containsKey(key)) {
        measures.put(
            key,
            new Measure(
                "Errors " + code + " per second",
                true,
                r ->
                    r.find("tributary.gateway.errors").tag("code", code).counters().stream()
                        .mapToDouble(Counter::count)
                        .sum()));
      }
    }
  }

  /** A latency's median and 99th percentile over the last second, in milliseconds. */
  private void sampleLatency(Latency latency, long epochSecond) {
    Map<Double, Double> buckets = new TreeMap<>();
    for (Timer timer : registry.find(latency.timer()).timers()) {
      for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
        buckets.merge(
            bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
      }
    }
    Map<Double, Double> previous = lastBuckets.put(latency.key(), buckets);
    boolean first = previous == null;
    add(
        latency.key() + "P50",
        epochSecond,
        first ? Double.NaN : percentile(buckets, previous, 0.5));
    add(
        latency.key() + "P99",
        epochSecond,
        first ? Double.NaN : percentile(buckets, previous, 0.99));
  }

  /**
   * The upper bound (ms) of the bucket that holds the {@code quantile} of the samples recorded
   * since {@code previous}; NaN if there were none. Prometheus's histograms count cumulatively
   * (samples at most each bound), so the differences are too, and the largest is the number of
   * samples.
   */
  static double percentile(Map<Double, Double> now, Map<Double, Double> previous, double quantile) {
    Map<Double, Double> atMost = new TreeMap<>();
    double samples = 0;
    for (Map.Entry<Double, Double> bucket : now.entrySet()) {
      double count = Math.max(0, bucket.getValue() - previous.getOrDefault(bucket.getKey(), 0.0));
      atMost.put(bucket.getKey(), count);
      samples = Math.max(samples, count);
    }
    if (samples <= 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> bucket : atMost.entrySet()) {
      if (bucket.getValue() >= quantile * samples) {
        return bucket.getKey();
      }
    }
    return Double.NaN;
  }

  private void add(String key, long epochSecond, double value) {
    seconds.computeIfAbsent(key, k -> new RollingSeries(1, HOUR_SLOTS)).add(epochSecond, value);
    minutes.computeIfAbsent(key, k -> new RollingSeries(60, DAY_SLOTS)).add(epochSecond, value);
  }

  /**
   * The last hour (at 1 s) or day (at 1 min) up to {@code nowEpochSecond}, from the first slot that
   * has a sample (a server up for a minute shows that minute, not an hour of nothing): {@code
   * start}, {@code step} in seconds, and each series' label and values (null where missing).
   */
  synchronized ObjectNode window(boolean day, long nowEpochSecond) {
    Map<String, RollingSeries> series = day ? minutes : seconds;
    Map<String, double[]> values = new LinkedHashMap<>();
    int first = Integer.MAX_VALUE;
    for (Map.Entry<String, RollingSeries> entry : series.entrySet()) {
      double[] window = entry.getValue().window(nowEpochSecond);
      values.put(entry.getKey(), window);
      for (int i = 0; i < window.length && i < first; i++) {
        if (!Double.isNaN(window[i])) {
          first = i;
        }
      }
    }
    int step = day ? 60 : 1;
    ObjectNode answer = JSON.createObjectNode();
    answer.put("step", step);
    RollingSeries any = series.values().stream().findFirst().orElse(null);
    long start = any == null ? nowEpochSecond : any.windowStart(nowEpochSecond);
    int from = first == Integer.MAX_VALUE ? 0 : first;
    answer.put("start", start + (long) from * step);
    ObjectNode all = answer.putObject("series");
    for (Map.Entry<String, double[]> entry : values.entrySet()) {
      ObjectNode one = all.putObject(entry.getKey());
      one.put("label", label(entry.getKey()));
      ArrayNode shown = one.putArray("values");
      double[] window = entry.getValue();
      for (int i = first == Integer.MAX_VALUE ? window.length : from; i < window.length; i++) {
        if (Double.isNaN(window[i])) {
          shown.addNull();
        } else {
          shown.add(Math.round(window[i] * 1000) / 1000.0);
        }
      }
    }
    return answer;
  }

  private String label(String key) {
    Measure measure = measures.get(key);
    if (measure != null) {
      return measure.label();
    }
    for (Latency latency : LATENCIES) {
      if (key.startsWith(latency.key())) {
        return latency.label()
            + " "
            + key.substring(latency.key().length()).toLowerCase(java.util.Locale.ROOT)
            + " (ms)";
      }
    }
    return key;
  }
}

package io.tributary.server.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarized in milliseconds. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] samples) {
    this.sorted = samples.clone();
    Arrays.sort(sorted);
  }

  double millis(double percentile) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  String summary() {
    return String.format(
        "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
        sorted.length, millis(50), millis(90), millis(99), millis(100));
  }
}

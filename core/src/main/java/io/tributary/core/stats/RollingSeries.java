package io.tributary.core.stats;

import java.util.Arrays;

/**
 * A fixed window of one measure, sampled every {@code resolution} seconds: the last {@code
 * capacity} slots, each holding the average of the samples that fell in it (none: missing). Memory
 * is fixed however long it runs: an hour at 1 s is 3,600 doubles, a day at 1 min 1,440.
 */
public final class RollingSeries {

  private final int resolution;
  private final double[] sums;
  private final int[] counts;
  private final long[] slots;

  /**
   * @param resolution seconds per slot, at least 1
   * @param capacity slots kept, at least 1
   */
  public RollingSeries(int resolution, int capacity) {
    if (resolution < 1 || capacity < 1) {
      throw new IllegalArgumentException("resolution and capacity must be at least 1");
    }
    this.resolution = resolution;
    this.sums = new double[capacity];
    this.counts = new int[capacity];
    this.slots = new long[capacity];
    Arrays.fill(slots, Long.MIN_VALUE);
  }

  public int resolution() {
    return resolution;
  }

  /** Adds a sample taken at {@code epochSecond}; a missing one (NaN) is not counted. */
  public void add(long epochSecond, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    long slot = Math.floorDiv(epochSecond, resolution);
    int index = (int) Math.floorMod(slot, (long) sums.length);
    if (slots[index] != slot) {
      slots[index] = slot;
      sums[index] = 0;
      counts[index] = 0;
    }
    sums[index] += value;
    counts[index]++;
  }

  /**
   * The window that ends with the slot of {@code nowEpochSecond}, oldest first: each slot's
   * average, or NaN where no sample fell.
   */
  public double[] window(long nowEpochSecond) {
    long last = Math.floorDiv(nowEpochSecond, resolution);
    double[] values = new double[sums.length];
    for (int i = 0; i < values.length; i++) {
      long slot = last - (values.length - 1) + i;
      int index = (int) Math.floorMod(slot, (long) sums.length);
      values[i] =
          slots[index] == slot && counts[index] > 0 ? sums[index] / counts[index] : Double.NaN;
    }
    return values;
  }

  /** The epoch second the window ending at {@code nowEpochSecond} starts with. */
  public long windowStart(long nowEpochSecond) {
    return (Math.floorDiv(nowEpochSecond, resolution) - (sums.length - 1)) * resolution;
  }
}

package io.tributary.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RollingSeriesTest {

  @Test
  void eachSlotAveragesItsSamplesAndEmptySlotsAreMissing() {
    RollingSeries minutes = new RollingSeries(60, 3);
    minutes.add(120, 2);
    minutes.add(150, 4);
    minutes.add(240, 10);

    assertThat(minutes.window(240)).containsExactly(3.0, Double.NaN, 10.0);
    assertThat(minutes.windowStart(240)).isEqualTo(120);
  }

  @Test
  void oldSlotsAreOverwrittenNotKept() {
    RollingSeries seconds = new RollingSeries(1, 3);
    for (long second = 100; second < 110; second++) {
      seconds.add(second, second);
    }

    assertThat(seconds.window(109)).containsExactly(107.0, 108.0, 109.0);
    assertThat(seconds.window(111))
        .as("a slot not written since is missing, not an old value")
        .containsExactly(109.0, Double.NaN, Double.NaN);
  }

  @Test
  void missingSamplesAreNotCountedAndSizesMustBePositive() {
    RollingSeries seconds = new RollingSeries(1, 2);
    seconds.add(5, Double.NaN);
    seconds.add(5, 1);

    assertThat(seconds.window(5)).containsExactly(Double.NaN, 1.0);
    assertThatThrownBy(() -> new RollingSeries(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}

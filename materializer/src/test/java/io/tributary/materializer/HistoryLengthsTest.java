package io.tributary.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryLengthsTest {

  @Test
  void keepsOnlyTheLongestHistoriesButCountsEveryDataset() {
    HistoryLengths lengths = new HistoryLengths(2);

    lengths.added("a", 5);
    lengths.added("b", 1);
    lengths.added("c", 3);
    lengths.grew("b", 2);

    assertThat(lengths.datasets()).isEqualTo(3);
    assertThat(lengths.longest()).containsExactly(Map.entry("a", 5L), Map.entry("c", 3L));
  }

  @Test
  void aDatasetThatGrowsPastTheShortestKeptComesIn() {
    HistoryLengths lengths = new HistoryLengths(2);
    lengths.added("a", 5);
    lengths.added("b", 4);
    lengths.added("c", 1);

    lengths.grew("c", 9);

    assertThat(lengths.longest()).containsExactly(Map.entry("c", 9L), Map.entry("a", 5L));
  }
}

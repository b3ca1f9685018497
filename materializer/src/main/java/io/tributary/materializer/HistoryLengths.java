package io.tributary.materializer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The longest histories, by dataset, and how many datasets there are. Only the {@code limit}
 * longest are kept, so that a metric per dataset stays bounded however many datasets there are. A
 * history only grows, so a dataset that is passed never needs to come back by itself: it comes back
 * when it grows past the shortest kept.
 */
final class HistoryLengths {

  private final int limit;
  private final Map<String, Long> longest = new HashMap<>();
  private long datasets;
  // At most the shortest kept length: kept lengths only grow, so a stale value stays a lower bound.
  private long shortestAtMost;

  HistoryLengths(int limit) {
    this.limit = limit;
  }

  /** A dataset that was not counted before. */
  void added(String dataset, long length) {
    datasets++;
    grew(dataset, length);
  }

  /** A dataset's history is now {@code length} long. */
  void grew(String dataset, long length) {
    if (longest.containsKey(dataset) || longest.size() < limit) {
      longest.put(dataset, length);
      return;
    }
    if (length <= shortestAtMost) {
      return; // The usual case for a dataset outside the longest: no scan.
    }
    Map.Entry<String, Long> shortest =
        longest.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
    shortestAtMost = shortest.getValue();
    if (length > shortest.getValue()) {
      longest.remove(shortest.getKey());
      longest.put(dataset, length);
    }
  }

  long datasets() {
    return datasets;
  }

  /** The longest histories, longest first. */
  Map<String, Long> longest() {
    Map<String, Long> sorted = new java.util.LinkedHashMap<>();
    longest.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}

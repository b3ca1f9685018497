package io.tributary.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server measures itself, read from its admin port's {@code /metrics} (Prometheus text) at
 * both ends of a measured window: next to what the driver sees from outside.
 */
final class ServerMetrics {

  // HTTP/1.1, as Prometheus scrapes: the JDK client's h2c upgrade to Vert.x has had a second
  // request on a long-lived connection reset (RST_STREAM, protocol error) under load.
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final URI url;

  ServerMetrics(URI url) {
    this.url = url;
  }

  /** One scrape, with the user and password of the URL ({@code http://user:password@host/}). */
  Scrape read() throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url);
    if (url.getRawUserInfo() != null) {
      request.header(
          "Authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      url.getUserInfo().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "the scrape of " + url.getPath() + " answered " + response.statusCode());
    }
    return new Scrape(response.body());
  }

  record Scrape(String text) {

    /** The value of a series as the text names it, labels and all. */
    double value(String series) {
      Matcher found =
          Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE)
              .matcher(text);
      return found.find() ? Double.parseDouble(found.group(1)) : Double.NaN;
    }

    /** A histogram's cumulative counts by upper bound in seconds, over every series. */
    Map<Double, Double> buckets(String histogram) {
      Matcher found =
          Pattern.compile(
                  "^"
                      + Pattern.quote(histogram)
                      + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)$",
                  Pattern.MULTILINE)
              .matcher(text);
      Map<Double, Double> counts = new TreeMap<>();
      while (found.find()) {
        double bound =
            found.group(1).equals("+Inf") ? Double.MAX_VALUE : Double.parseDouble(found.group(1));
        counts.merge(bound, Double.parseDouble(found.group(2)), Double::sum);
      }
      return counts;
    }
  }

  /** "p50 <= x ms, p99 <= y ms (n=...)" of what a histogram counted between two scrapes. */
  static String percentiles(String histogram, Scrape before, Scrape after) {
    Map<Double, Double> from = before.buckets(histogram);
    Map<Double, Double> delta = new TreeMap<>();
    after
        .buckets(histogram)
        .forEach((bound, count) -> delta.put(bound, count - from.getOrDefault(bound, 0.0)));
    double total = delta.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    if (total == 0) {
      return "-";
    }
    return String.format(
        "p50 <= %s, p99 <= %s (n=%.0f)",
        millis(bound(delta, total * 0.5)), millis(bound(delta, total * 0.99)), total);
  }

  /**
   * G1's old generation in MiB at each scrape: what outlives the young collections, garbage not yet
   * collected included. What the server holds on to grows here, or nowhere.
   */
  static String oldGeneration(Scrape before, Scrape after) {
    String series = "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"}";
    double mib = 1024 * 1024;
    return String.format("%.0f -> %.0f MiB", before.value(series) / mib, after.value(series) / mib);
  }

  private static double bound(Map<Double, Double> cumulative, double count) {
    return cumulative.entrySet().stream()
        .filter(entry -> entry.getValue() >= count)
        .mapToDouble(Map.Entry::getKey)
        .min()
        .orElse(Double.MAX_VALUE);
  }

  private static String millis(double seconds) {
    return seconds == Double.MAX_VALUE ? "inf" : String.format("%.1f ms", seconds * 1000);
  }
}

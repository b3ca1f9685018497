package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.SyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} read the way Prometheus reads it: parsed by the Prometheus project's own text
 * format parser (its Python client, which {@code .ci/run} installs), not by a regular expression.
 */
class PrometheusMetricsTest {

  // Prometheus values may be NaN, which the parser passes on as JSON's non-standard NaN.
  private static final ObjectMapper JSON =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  // Change events on: the dashboard plots their outbox too.
  @RegisterExtension final RunningServer server = new RunningServer().withChangeEvents();

  // HTTP/1.1, as Prometheus scrapes: the default client upgrades to HTTP/2 and sends every later
  // request down that one connection, so one stuck exchange held every retry of the await.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Debian's python, where apt installs the parser, before any other python3 on the path. */
  private static String python;

  @BeforeAll
  static void parserIsThere() throws Exception {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        Process probe =
            new ProcessBuilder(candidate, "-c", "import prometheus_client.parser")
                .redirectErrorStream(true)
                .start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          python = candidate;
          return;
        }
      } catch (IOException notThere) {
        // Try the next one.
      }
    }
    Assumptions.abort(
        "python3-prometheus-client is not installed (apt-get install it to run this)");
  }

  @Test
  void everyRoleShowsItsMetricsInValidPrometheusText() throws Exception {
    try (AdminServer admin = TestAdmin.start(server);
        SyncClient tasks = client("tasks");
        SyncClient notes = client("notes")) {
      for (int id = 1; id <= 3; id++) {
        long task = id;
        tasks.write(tx -> tx.create("Task", task));
      }
      notes.write(tx -> tx.create("Task", 1));
      assertThat(tasks.awaitSynced(Duration.ofSeconds(30))).isTrue();
      assertThat(notes.awaitSynced(Duration.ofSeconds(30))).isTrue();

      await()
          // A scrape or a parse that fails is tried again; the last failure is what the timeout
          // reports (an ignored exception left CI's report with nothing but "null").
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                List<JsonNode> families = scrapeAndParse(admin);
                assertThat(value(families, "tributary_history_length_changesets", "tasks"))
                    .isEqualTo(3.0);
                assertThat(value(families, "tributary_history_length_changesets", "notes"))
                    .isEqualTo(1.0);
              });
      List<JsonNode> families = parse(scrape(admin));
      assertThat(type(families, "tributary_changesets_integrated")).isEqualTo("counter");
      assertThat(sum(families, "tributary_changesets_integrated_total")).isEqualTo(4.0);
      assertThat(type(families, "tributary_sequencer_lag_records")).isEqualTo("gauge");
      assertThat(sum(families, "tributary_sequencer_lag_records")).isZero();
      assertThat(sum(families, "tributary_materializer_lag_records")).isZero();
      assertThat(sum(families, "tributary_datasets")).isEqualTo(2.0);
      assertThat(sum(families, "tributary_gateway_connections")).isEqualTo(2.0);
      assertThat(sum(families, "tributary_gateway_connects_total")).isEqualTo(2.0);
      assertThat(type(families, "jvm_memory_used_bytes")).isEqualTo("gauge");
      assertThat(dashboardMetrics())
          .as("what deploy/grafana/dashboards/tributary.json plots")
          .hasSizeGreaterThan(10)
          .allSatisfy(
              metric ->
                  assertThat(families)
                      .as("a sample named %s", metric)
                      .anySatisfy(
                          f ->
                              assertThat(f.path("samples").findValuesAsText("name"))
                                  .contains(metric)));
    }
  }

  /** The metric names in the expressions of the provisioned Grafana dashboard. */
  private static java.util.Set<String> dashboardMetrics() throws IOException {
    Path dashboard = null;
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("deploy/grafana/dashboards/tributary.json");
      if (Files.isRegularFile(candidate)) {
        dashboard = candidate;
        break;
      }
    }
    assertThat(dashboard).as("the Grafana dashboard").isNotNull();
    java.util.Set<String> metrics = new java.util.TreeSet<>();
    java.util.regex.Matcher names =
        java.util.regex.Pattern.compile("\\b(?:tributary|jvm|process)_[a-z_]+")
            .matcher(String.join("\n", JSON.readTree(dashboard.toFile()).findValuesAsText("expr")));
    while (names.find()) {
      metrics.add(names.group());
    }
    return metrics;
  }

  private SyncClient client(String dataset) {
    SyncClient client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), dataset);
    client.connect().join();
    return client;
  }

  /** One scrape, parsed; an I/O failure is an assertion failure that says what it was. */
  private List<JsonNode> scrapeAndParse(AdminServer admin) throws Exception {
    try {
      return parse(scrape(admin));
    } catch (IOException e) {
      throw new AssertionError("the scrape or its parse failed: " + e, e);
    }
  }

  private String scrape(AdminServer admin) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/metrics"))
                .header("Authorization", TestAdmin.BASIC)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    return response.body();
  }

  /** The families as the Prometheus parser reads them; a text it cannot parse fails the test. */
  private static List<JsonNode> parse(String exposition) throws IOException, InterruptedException {
    Path script =
        Path.of(
            URI.create(PrometheusMetricsTest.class.getResource("/prometheus-parse.py").toString()));
    // Output to files, not pipes: nothing the parser writes can block it, and it gets a deadline.
    Path out = Files.createTempFile("prometheus-parse", ".json");
    Path err = Files.createTempFile("prometheus-parse", ".err");
    try {
      Process parser =
          new ProcessBuilder(python, script.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try (var in = parser.getOutputStream()) {
        in.write(exposition.getBytes(StandardCharsets.UTF_8));
      }
      if (!parser.waitFor(20, TimeUnit.SECONDS)) {
        parser.destroyForcibly();
        throw new IOException("the Prometheus parser did not finish in 20 s");
      }
      assertThat(parser.exitValue()).as("the parser's verdict: %s", Files.readString(err)).isZero();
      List<JsonNode> families = new ArrayList<>();
      JSON.readTree(Files.readString(out)).forEach(families::add);
      return families;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String type(List<JsonNode> families, String name) {
    return families.stream()
        .filter(f -> f.path("name").asText().equals(name))
        .map(f -> f.path("type").asText())
        .findFirst()
        .orElse("(absent)");
  }

  /** The sum over every sample of that name: each role instance has its own series. */
  private static double sum(List<JsonNode> families, String sample) {
    return samples(families, sample, Map.of()).stream()
        .mapToDouble(s -> s.path("value").asDouble())
        .sum();
  }

  private static Double value(List<JsonNode> families, String sample, String dataset) {
    return samples(families, sample, Map.of("dataset", dataset)).stream()
        .map(s -> s.path("value").asDouble())
        .findFirst()
        .orElse(null);
  }

  private static List<JsonNode> samples(
      List<JsonNode> families, String sample, Map<String, String> labels) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode family : families) {
      for (JsonNode s : family.path("samples")) {
        boolean matches =
            s.path("name").asText().equals(sample)
                && labels.entrySet().stream()
                    .allMatch(l -> l.getValue().equals(s.path("labels").path(l.getKey()).asText()));
        if (matches) {
          found.add(s);
        }
      }
    }
    return found;
  }
}

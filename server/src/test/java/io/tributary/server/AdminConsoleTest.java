package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Value;
import io.tributary.testkit.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin console in a real browser (headless Chromium): the data browser as an operator uses it,
 * on a wide screen and on a phone-sized one. Each page's screenshot goes to {@code
 * target/admin-screenshots} ({@code -Dadmin.screenshots=docs/admin} refreshes the documentation's).
 */
class AdminConsoleTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int TASKS = 30;

  @RegisterExtension final RunningServer server = new RunningServer();

  private AdminServer admin;
  private SyncClient client;

  @BeforeEach
  void writeTasksAndTags() throws Exception {
    admin = TestAdmin.console(server);
    client = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks");
    client.connect().join();
    client.write(
        tx -> {
          for (long tag = 1; tag <= 3; tag++) {
            tx.create("Tag", tag).set("Tag", tag, "name", Value.of("tag " + tag));
          }
        });
    for (long id = 1; id <= TASKS; id++) {
      long task = id;
      client.write(
          tx ->
              tx.create("Task", task)
                  .set("Task", task, "text", Value.of("task " + task))
                  .set("Task", task, "done", Value.of(task % 2 == 0))
                  .link("Task", task, "tags", task % 3 + 1));
    }
    assertThat(client.awaitSynced(PATIENCE)).isTrue();
  }

  @AfterEach
  void close() {
    client.close();
    admin.close();
  }

  @Test
  void theDataBrowserFindsFiltersPagesAndFollowsRelations() {
    try (Browser browser = Browser.open(1280, 900)) {
      open(browser, "#status");
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Connected clients"));
      browser.screenshot("status");
      open(browser, "#schema");
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Schema version 1"));
      browser.screenshot("schema");

      open(browser, "#data?dataset=tasks&entity=Task&limit=25");
      awaitRows(browser, 25);
      assertThat(column(browser, "text")).startsWith("task 1", "task 2", "task 3");
      assertThat(text(browser, "p.summary")).isEqualTo("25 objects, more follow");
      assertThat(oneLine(browser, "false")).as("a short value is never broken").isTrue();
      browser.screenshot("data");
      browser.driver().findElement(By.cssSelector("button.more")).click();
      awaitRows(browser, TASKS);

      // A click on a header sorts the rows shown; a second one turns the order round.
      WebElement idHeader = header(browser, "id");
      idHeader.click();
      idHeader.click();
      assertThat(column(browser, "id")).startsWith("30", "29", "28");

      search(browser, "id", "7");
      awaitRows(browser, 1);
      assertThat(column(browser, "text")).containsExactly("task 7");
      assertThat(browser.driver().getCurrentUrl()).contains("id=7");

      browser.driver().navigate().refresh();
      awaitRows(browser, 1);
      assertThat(column(browser, "text"))
          .as("the place survives a reload")
          .containsExactly("task 7");

      // Task 7 links to tag 2: the link opens that tag.
      browser.driver().findElement(By.linkText("2")).click();
      await().atMost(PATIENCE).until(() -> column(browser, "name").equals(List.of("tag 2")));
      assertThat(browser.driver().getCurrentUrl()).contains("entity=Tag", "id=2");

      open(browser, "#data?dataset=tasks&entity=Task");
      awaitRows(browser, TASKS);
      new Select(browser.driver().findElement(By.name("where"))).selectByValue("done");
      search(browser, "equals", "true");
      awaitRows(browser, TASKS / 2);
      assertThat(column(browser, "done")).containsOnly("true");
      assertThat(browser.driver().getCurrentUrl()).contains("where=done", "equals=true");
    }
  }

  @Test
  void theStatisticsChartTheChangesetsThatAClientWrites() throws InterruptedException {
    try (Browser browser = Browser.open(1280, 1100)) {
      open(browser, "#statistics");
      await()
          .atMost(PATIENCE)
          .until(() -> browser.driver().findElements(By.cssSelector(".chart canvas")).size() >= 8);
      double before = total(browser, "Changesets per second", "integrated");
      // Five rounds of two changesets, each once the chart has shown the round before: they fall
      // in different seconds. Each second's rate is that second's changesets, so the sum over the
      // hour counts them.
      for (int round = 1; round <= 5; round++) {
        for (int i = 0; i < 2; i++) {
          long task = 100 + round * 2L + i;
          client.write(tx -> tx.create("Task", task));
        }
        assertThat(client.awaitSynced(PATIENCE)).isTrue();
        double expected = before + 2 * round;
        await()
            .atMost(PATIENCE)
            .until(() -> total(browser, "Changesets per second", "integrated") >= expected);
      }
      assertThat(total(browser, "Changesets per second", "uploaded")).isGreaterThanOrEqualTo(10);
      assertThat(total(browser, "Clients", "connections")).isPositive();
      assertThat(total(browser, "Fan-out latency (ms)", "fanoutP50"))
          .as("the downloads of those changesets reached the gateway")
          .isPositive();
      browser.screenshot("statistics");
    }
  }

  @Test
  void anOperatorSeesTheConnectedClientsAndDisconnectsOne() {
    try (Browser browser = Browser.open(1280, 700)) {
      open(browser, "#clients");
      String ident = String.valueOf(client.clientIdent());
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  column(browser, "table.clients", "dataset").contains("tasks")
                      && column(browser, "table.clients", "client ident").contains(ident));
      assertThat(column(browser, "table.clients", "pending")).containsOnly("0");
      String connection = column(browser, "table.clients", "connection").get(0);
      browser.screenshot("clients");

      browser.driver().findElement(By.cssSelector("button.disconnect")).click();
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  client.errors().stream()
                      .anyMatch(
                          e -> e.code() == io.tributary.core.ErrorCode.CLOSED_BY_OPERATOR.code()));
      // The client comes back by itself, on a new connection, and the list (which refreshes
      // itself) shows that one.
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                List<String> connections = column(browser, "table.clients", "connection");
                return !connections.isEmpty() && !connections.contains(connection);
              });
    }
  }

  @Test
  void anEarlierSchemaVersionBecomesCurrentAgainOrTheConsoleSaysWhyNot() throws Exception {
    // Version 2 adds Tag.color; version 3 removes it again and retires its uid.
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    String original = java.nio.file.Files.readString(Fixtures.exampleModel());
    com.fasterxml.jackson.databind.node.ObjectNode withColor =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original);
    for (com.fasterxml.jackson.databind.JsonNode entity : withColor.path("entities")) {
      if (entity.path("name").asText().equals("Tag")) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) entity.path("properties"))
            .addObject()
            .put("id", "3:7777777777")
            .put("name", "color")
            .put("type", 9);
        ((com.fasterxml.jackson.databind.node.ObjectNode) entity)
            .put("lastPropertyId", "3:7777777777");
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode retired =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original);
    retired.putArray("retiredPropertyUids").add(7777777777L);
    io.tributary.kafka.SchemaVersions versions =
        new io.tributary.kafka.SchemaVersions(
            server.syncServer().kafkaBootstrap(), server.syncServer().topics());
    versions.register(
        io.tributary.core.model.ModelParser.parse(json.writeValueAsString(withColor), "v2"));
    versions.register(
        io.tributary.core.model.ModelParser.parse(json.writeValueAsString(retired), "v3"));
    await().atMost(PATIENCE).until(() -> server.syncServer().currentSchemaVersion() == 3);

    try (Browser browser = Browser.open(1280, 900)) {
      open(browser, "#schema");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  browser.driver().findElements(By.cssSelector("button.make-current")).size() == 2);
      // Newest first: version 2, then version 1. Version 2 brings back the uid 3 retired.
      browser.driver().findElements(By.cssSelector("button.make-current")).get(0).click();
      await().atMost(PATIENCE).until(() -> text(browser, "p.error").contains("retired"));
      assertThat(text(browser, "p.error"))
          .startsWith("Schema version ID 2 cannot become current again")
          .contains("Tag.color reuses the retired property uid 7777777777");
      assertThat(server.syncServer().currentSchemaVersion()).isEqualTo(3);

      browser.driver().findElements(By.cssSelector("button.make-current")).get(1).click();
      await().atMost(PATIENCE).until(() -> server.syncServer().currentSchemaVersion() == 4);
      assertThat(versions.current().orElseThrow().model())
          .as("version 1's model, as version 4")
          .isEqualTo(versions.all().get(0).model());
      await()
          .atMost(PATIENCE)
          .until(() -> text(browser, "main").contains("Schema version 4 (current)"));
      browser.screenshot("schema-versions");
    }
  }

  @Test
  void theLoggingPageSetsTheServersLevels() {
    String root = LogLevels.get(java.util.Optional.empty());
    try (Browser browser = Browser.open(1280, 700)) {
      open(browser, "#logging");
      await()
          .atMost(PATIENCE)
          .until(() -> !browser.driver().findElements(By.name("level:")).isEmpty());
      new Select(browser.driver().findElement(By.name("level:"))).selectByValue("debug");
      await()
          .atMost(PATIENCE)
          .until(() -> LogLevels.get(java.util.Optional.empty()).equals("debug"));

      browser.driver().findElement(By.name("logger")).sendKeys("io.tributary.gateway");
      new Select(browser.driver().findElement(By.name("newLevel"))).selectByValue("warn");
      browser.driver().findElement(By.cssSelector("form button")).click();
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  "warn".equals(LogLevels.own().get("io.tributary.gateway"))
                      && !browser
                          .driver()
                          .findElements(By.name("level:io.tributary.gateway"))
                          .isEmpty());
      browser.screenshot("logging");

      new Select(browser.driver().findElement(By.name("level:io.tributary.gateway")))
          .selectByValue("inherit");
      await().atMost(PATIENCE).until(() -> !LogLevels.own().containsKey("io.tributary.gateway"));
      assertThat(LogLevels.get(java.util.Optional.of("io.tributary.gateway")))
          .as("inherited from the server's")
          .isEqualTo("debug");
    } finally {
      LogLevels.set(java.util.Optional.of("io.tributary.gateway"), "inherit");
      LogLevels.set(java.util.Optional.empty(), root);
    }
  }

  @Test
  void theConsoleIsUsableOnANarrowScreen() {
    try (Browser browser = Browser.open(420, 900)) {
      open(browser, "#data?dataset=tasks&entity=Task");
      awaitRows(browser, TASKS);
      long viewport = ((Number) browser.script("return window.innerWidth")).longValue();
      assertThat(
              ((Number) browser.script("return document.documentElement.scrollWidth")).longValue())
          .as("the page itself does not scroll sideways (the table does, in its own box)")
          .isLessThanOrEqualTo(viewport);
      WebElement download = browser.driver().findElement(By.linkText("Download JSON"));
      assertThat(download.isDisplayed()).isTrue();
      assertThat(download.getRect().getX() + download.getRect().getWidth())
          .as("Download JSON stays on the screen")
          .isLessThanOrEqualTo((int) viewport);
      assertThat(oneLine(browser, "false")).isTrue();
      browser.screenshot("data-narrow");
    }
  }

  /** What the chart titled {@code chart} plots for {@code series}, summed over its range. */
  private static double total(Browser browser, String chart, String series) {
    Object total =
        browser.script(
            """
            const box = document.querySelector('.chart[data-chart="' + arguments[0] + '"]');
            return box && box.dataset.totals ? JSON.parse(box.dataset.totals)[arguments[1]] || 0 : 0;
            """,
            chart,
            series);
    return ((Number) total).doubleValue();
  }

  private void open(Browser browser, String fragment) {
    Console.open(browser, admin, fragment);
  }

  private static String text(Browser browser, String css) {
    return Console.text(browser, css);
  }

  private static void awaitRows(Browser browser, int rows) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                browser.driver().findElements(By.cssSelector("table.objects tbody tr")).size()
                    == rows);
  }

  private static WebElement header(Browser browser, String column) {
    return browser.driver().findElements(By.cssSelector("table.objects th")).stream()
        .filter(th -> th.getText().replaceAll("[▲▼ ]", "").equals(column))
        .findFirst()
        .orElseThrow();
  }

  /** The texts of one column of the data browser's table, top to bottom. */
  private static List<String> column(Browser browser, String column) {
    return column(browser, "table.objects", column);
  }

  /** The texts of one column of the table {@code table} (a CSS selector), top to bottom. */
  @SuppressWarnings("unchecked")
  private static List<String> column(Browser browser, String table, String column) {
    return (List<String>)
        browser.script(
            """
            const headers = [...document.querySelectorAll(arguments[0] + " th")]
              .map(th => th.textContent.replace(/[\\u25B2\\u25BC]/g, "").trim());
            const index = headers.indexOf(arguments[1]);
            return index < 0 ? [] : [...document.querySelectorAll(arguments[0] + " tr")]
              .filter(tr => tr.querySelector("td"))
              .map(tr => tr.children[index].textContent);
            """,
            table,
            column);
  }

  /** Whether the first cell showing {@code value} draws it on one line. */
  private static boolean oneLine(Browser browser, String value) {
    return (Boolean)
        browser.script(
            """
            const cell = [...document.querySelectorAll("td")].find(td => td.textContent === arguments[0]);
            if (!cell) return false;
            const range = document.createRange();
            range.selectNodeContents(cell);
            return range.getClientRects().length === 1;
            """,
            value);
  }

  /** Types {@code text} into the field named {@code name} and submits the form. */
  private static void search(Browser browser, String name, String text) {
    WebElement field = browser.driver().findElement(By.name(name));
    field.clear();
    field.sendKeys(text);
    field.submit();
  }
}

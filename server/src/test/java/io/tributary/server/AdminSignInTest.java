package io.tributary.server;

import static io.tributary.server.Console.PATIENCE;
import static io.tributary.server.Console.present;
import static io.tributary.server.Console.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Signing in to the admin console in a real browser (headless Chromium): the login form, a wrong
 * password, logging out, the CSRF token, a viewer kept from data, and the Users page.
 */
class AdminSignInTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private AdminServer admin;

  @BeforeEach
  void start() {
    admin = TestAdmin.console(server);
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  @Test
  void anOperatorSignsInAfterAWrongPasswordAndLogsOut() {
    try (Browser browser = Browser.open(1280, 700)) {
      browser.driver().get("http://127.0.0.1:" + admin.port() + "/#status");
      await().atMost(PATIENCE).until(() -> present(browser, "form.login"));
      assertThat(Console.signedIn(browser)).isFalse();
      assertThat(text(browser, "nav")).as("nothing but the form").isEmpty();
      browser.screenshot("login");

      Console.signIn(browser, TestAdmin.USER, "not-the-password");
      await()
          .atMost(PATIENCE)
          .until(() -> text(browser, "form.login p").contains("wrong user name or password"));
      assertThat(Console.signedIn(browser)).isFalse();

      Console.signIn(browser, TestAdmin.USER, TestAdmin.PASSWORD);
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Connected clients"));
      assertThat(text(browser, "#who")).contains(TestAdmin.USER + " (admin)");
      assertThat(fetchStatus(browser, "/api/status")).isEqualTo(200);

      browser.driver().findElement(By.cssSelector("#who button.logout")).click();
      await().atMost(PATIENCE).until(() -> text(browser, "form.login").contains("Signed out."));
      assertThat(fetchStatus(browser, "/api/status"))
          .as("the cookie no longer signs in")
          .isEqualTo(401);
      browser.driver().navigate().refresh();
      await().atMost(PATIENCE).until(() -> present(browser, "form.login"));
    }
  }

  @Test
  void aChangeWithoutTheSessionsCsrfTokenIsRefused() {
    try (Browser browser = Browser.open(1280, 700)) {
      Console.open(browser, admin, "#logging");
      String logger = "?logger=csrf.test";
      assertThat(fetchStatus(browser, "/log-level" + logger, "PUT", "debug", null))
          .as("the session cookie alone")
          .isEqualTo(403);
      assertThat(LogLevels.own()).doesNotContainKey("csrf.test");
      assertThat(fetchStatus(browser, "/log-level" + logger, "PUT", "debug", "not-the-token"))
          .isEqualTo(403);
      String csrf =
          (String)
              browser.script("return fetch('/api/session').then(r => r.json()).then(s => s.csrf)");
      assertThat(fetchStatus(browser, "/log-level" + logger, "PUT", "debug", csrf)).isEqualTo(200);
      assertThat(LogLevels.own()).containsEntry("csrf.test", "debug");
      LogLevels.set(java.util.Optional.of("csrf.test"), "inherit");
    }
  }

  @Test
  void aViewerSeesTheStatusButNoDataAndNoButtons() throws Exception {
    addUser("eve", "viewer", "eve-password-1234", false);
    try (Browser browser = Browser.open(1280, 700)) {
      Console.open(browser, admin, "#status", "eve", "eve-password-1234");
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Connected clients"));
      assertThat(text(browser, "#who")).contains("eve (viewer)");
      assertThat(visibleTabs(browser))
          .containsExactly("Status", "Statistics", "Clients", "Schema", "Logging");
      browser.screenshot("viewer");

      browser.driver().get("http://127.0.0.1:" + admin.port() + "/#data?dataset=tasks&entity=Task");
      await().atMost(PATIENCE).until(() -> text(browser, "main p.error").contains("is a viewer"));
      assertThat(present(browser, "table.objects")).isFalse();

      Console.open(browser, admin, "#logging", "eve", "eve-password-1234");
      await().atMost(PATIENCE).until(() -> present(browser, "select[name='level:']"));
      assertThat(browser.driver().findElement(By.name("level:")).isEnabled()).isFalse();
    }
  }

  @Test
  void anAdminAddsAUserWhoChoosesAPasswordAndIsRemovedAgain() throws Exception {
    try (Browser browser = Browser.open(1280, 800)) {
      Console.open(browser, admin, "#users");
      await().atMost(PATIENCE).until(() -> present(browser, "table.users"));
      assertThat(users(browser)).containsExactly(TestAdmin.USER);

      Console.type(browser, "newName", "dev");
      new Select(browser.driver().findElement(By.name("newRole"))).selectByValue("admin");
      Console.type(browser, "newPassword", "dev-one-time-pass");
      browser.driver().findElement(By.cssSelector("form.add-user button")).click();
      await().atMost(PATIENCE).until(() -> users(browser).contains("dev"));
      assertThat(text(browser, "main p")).isEqualTo("Added dev.");
      JsonNode dev = user(usersByBasic(), "dev");
      assertThat(dev.get("role").asText()).isEqualTo("admin");
      assertThat(dev.get("mustChangePassword").asBoolean()).isTrue();
      browser.screenshot("users");

      browser.driver().findElement(By.cssSelector("#who button.logout")).click();
      Console.signIn(browser, "dev", "dev-one-time-pass");
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Change your password"));
      assertThat(text(browser, "main")).contains("one-time password");
      Console.type(browser, "current", "dev-one-time-pass");
      Console.type(browser, "new", "dev-own-password-1");
      Console.type(browser, "again", "dev-own-password-1");
      browser.screenshot("password");
      browser.driver().findElement(By.cssSelector("form.login button")).click();
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Password changed."));
      Console.open(browser, admin, "#status");
      await().atMost(PATIENCE).until(() -> text(browser, "main").contains("Connected clients"));

      browser.driver().findElement(By.cssSelector("#who button.logout")).click();
      Console.signIn(browser, TestAdmin.USER, TestAdmin.PASSWORD);
      await().atMost(PATIENCE).until(() -> Console.signedIn(browser));
      Console.open(browser, admin, "#users");
      await().atMost(PATIENCE).until(() -> users(browser).contains("dev"));
      removeButton(browser, "dev").click();
      await().atMost(PATIENCE).until(() -> users(browser).equals(List.of(TestAdmin.USER)));
      removeButton(browser, TestAdmin.USER).click();
      await().atMost(PATIENCE).until(() -> text(browser, "main p.error").contains("last admin"));
      assertThat(usersByBasic().findValuesAsText("name")).containsExactly(TestAdmin.USER);
    }
  }

  /** The status of a fetch made by the page, with the CSRF header if {@code csrf} is given. */
  private static long fetchStatus(Browser browser, String path) {
    return fetchStatus(browser, path, "GET", null, null);
  }

  private static long fetchStatus(
      Browser browser, String path, String method, String body, String csrf) {
    Object status =
        browser.script(
            """
            const headers = arguments[3] ? { "X-CSRF-Token": arguments[3] } : {};
            return fetch(arguments[0], { method: arguments[1], body: arguments[2], headers })
              .then(r => r.status);
            """,
            path,
            method,
            body,
            csrf);
    return ((Number) status).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<String> visibleTabs(Browser browser) {
    return (List<String>)
        browser.script(
            "return [...document.querySelectorAll('nav a')].filter(a => a.offsetParent)"
                + ".map(a => a.textContent)");
  }

  @SuppressWarnings("unchecked")
  private static List<String> users(Browser browser) {
    return (List<String>)
        browser.script(
            "return [...document.querySelectorAll('table.users tr')].filter(tr =>"
                + " tr.querySelector('td')).map(tr => tr.children[0].textContent)");
  }

  private static WebElement removeButton(Browser browser, String user) {
    return browser.driver().findElements(By.cssSelector("table.users tr")).stream()
        .filter(tr -> !tr.findElements(By.tagName("td")).isEmpty())
        .filter(tr -> tr.findElements(By.tagName("td")).get(0).getText().equals(user))
        .findFirst()
        .orElseThrow()
        .findElement(By.cssSelector("button.remove"));
  }

  private void addUser(String name, String role, String password, boolean oneTime)
      throws Exception {
    HttpResponse<String> added =
        http.send(
            request("/api/users")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode()
                            .put("name", name)
                            .put("role", role)
                            .put("password", password)
                            .put("mustChangePassword", oneTime)
                            .toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
  }

  private static JsonNode user(JsonNode users, String name) {
    for (JsonNode user : users) {
      if (user.get("name").asText().equals(name)) {
        return user;
      }
    }
    throw new AssertionError("no user " + name + " in " + users);
  }

  private JsonNode usersByBasic() throws Exception {
    return JSON.readTree(
        http.send(request("/api/users").GET().build(), HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
        .header("Authorization", TestAdmin.BASIC);
  }
}

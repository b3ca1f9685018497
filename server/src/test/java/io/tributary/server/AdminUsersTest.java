package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin port's users over HTTP: sessions and their cookie, CSRF tokens, roles, throttling, the
 * first admin, and users shared by every admin port of a cluster.
 */
class AdminUsersTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private AdminServer admin;
  private final java.util.concurrent.atomic.AtomicInteger guesses =
      new java.util.concurrent.atomic.AtomicInteger();

  @BeforeEach
  void start() {
    admin = TestAdmin.console(server);
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  @Test
  void aSessionCookieSignsInAndEveryChangeNeedsItsCsrfToken() throws Exception {
    assertThat(send("GET", "/api/status", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/metrics", null, null).headers().firstValue("WWW-Authenticate"))
        .as("scripts get a Basic challenge")
        .contains(AdminServer.REALM);

    HttpResponse<String> login = login(TestAdmin.USER, TestAdmin.PASSWORD);
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .matches("tributary_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    JsonNode session = JSON.readTree(login.body());
    assertThat(session.get("name").asText()).isEqualTo(TestAdmin.USER);
    assertThat(session.get("role").asText()).isEqualTo("admin");
    String csrf = session.get("csrf").asText();

    assertThat(send("GET", "/api/status", cookie, null).statusCode()).isEqualTo(200);
    HttpResponse<String> forged = send("PUT", "/log-level?logger=admin.test", cookie, "debug");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("X-CSRF-Token");
    assertThat(LogLevels.own()).doesNotContainKey("admin.test");
    assertThat(
            send("PUT", "/log-level?logger=admin.test", cookie, "debug", "X-CSRF-Token", "guess")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send("PUT", "/log-level?logger=admin.test", cookie, "debug", "X-CSRF-Token", csrf)
                .statusCode())
        .isEqualTo(200);
    LogLevels.set(Optional.of("admin.test"), "inherit");

    HttpResponse<String> out = send("POST", "/api/logout", cookie, "", "X-CSRF-Token", csrf);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send("GET", "/api/status", cookie, null).statusCode())
        .as("the session ended")
        .isEqualTo(401);
  }

  @Test
  void aWrongPasswordIsRefusedAndFiveInARowLockTheName() throws Exception {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong = login(TestAdmin.USER, "not-the-password");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("wrong user name or password");
    }
    HttpResponse<String> locked = login(TestAdmin.USER, TestAdmin.PASSWORD);
    assertThat(locked.statusCode()).as("locked, the right password too").isEqualTo(429);
    assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(800L, 901L);
    assertThat(send("GET", "/metrics", null, null, "Authorization", TestAdmin.BASIC).statusCode())
        .as("locked for Basic too")
        .isEqualTo(429);
    assertThat(login("nobody", "whatever-it-is").statusCode()).isEqualTo(401);
  }

  @Test
  void aBasicPasswordThePortHasCheckedGoesOnWorkingWhileItsNameIsLocked() throws Exception {
    assertThat(send("GET", "/metrics", null, null, "Authorization", TestAdmin.BASIC).statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(login(TestAdmin.USER, "not-the-password").statusCode()).isEqualTo(401);
    }
    assertThat(login(TestAdmin.USER, TestAdmin.PASSWORD).statusCode()).isEqualTo(429);

    assertThat(send("GET", "/metrics", null, null, "Authorization", TestAdmin.BASIC).statusCode())
        .as("remembered: no password is tried")
        .isEqualTo(200);
  }

  @Test
  void aViewerSeesStatusButNoDataAndChangesNothing() throws Exception {
    String admin = cookieOf(login(TestAdmin.USER, TestAdmin.PASSWORD));
    String csrf = csrf(admin);
    HttpResponse<String> added =
        send(
            "POST",
            "/api/users",
            admin,
            "{\"name\":\"eve\",\"role\":\"viewer\",\"password\":\"eve-password-1234\","
                + "\"mustChangePassword\":false}",
            "X-CSRF-Token",
            csrf);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

    String viewer = cookieOf(login("eve", "eve-password-1234"));
    String viewerCsrf = csrf(viewer);
    assertThat(send("GET", "/api/status", viewer, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/statistics", viewer, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/schema", viewer, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/metrics", viewer, null).statusCode()).isEqualTo(200);
    HttpResponse<String> data =
        send("GET", "/api/datasets/tasks/objects?entity=Task", viewer, null);
    assertThat(data.statusCode()).isEqualTo(403);
    assertThat(data.body()).contains("eve is a viewer");
    assertThat(send("GET", "/api/datasets/tasks/export", viewer, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/api//datasets", viewer, null).statusCode())
        .as("a path spelled another way")
        .isEqualTo(403);
    assertThat(send("GET", "/api/datasets", viewer, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/api/users", viewer, null).statusCode()).isEqualTo(403);
    assertThat(send("PUT", "/log-level", viewer, "debug", "X-CSRF-Token", viewerCsrf).statusCode())
        .isEqualTo(403);
    assertThat(
            send("POST", "/api/schema/1/make-current", viewer, "", "X-CSRF-Token", viewerCsrf)
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void usersComeAndGoButTheLastAdminStays() throws Exception {
    String cookie = cookieOf(login(TestAdmin.USER, TestAdmin.PASSWORD));
    String csrf = csrf(cookie);
    String dev =
        "{\"name\":\"dev\",\"role\":\"admin\",\"password\":\"dev-password-1234\"}"; // One-time.
    assertThat(send("POST", "/api/users", cookie, dev, "X-CSRF-Token", csrf).statusCode())
        .isEqualTo(201);
    assertThat(send("POST", "/api/users", cookie, dev, "X-CSRF-Token", csrf).statusCode())
        .as("exists")
        .isEqualTo(409);
    HttpResponse<String> shortPassword =
        send(
            "POST",
            "/api/users",
            cookie,
            "{\"name\":\"x\",\"role\":\"viewer\",\"password\":\"short\"}",
            "X-CSRF-Token",
            csrf);
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(shortPassword.body()).contains("12 to 1024 characters");

    String devCookie = cookieOf(login("dev", "dev-password-1234"));
    assertThat(JSON.readTree(session(devCookie).body()).get("mustChangePassword").asBoolean())
        .isTrue();
    HttpResponse<String> beforeChange = send("GET", "/api/status", devCookie, null);
    assertThat(beforeChange.statusCode()).isEqualTo(403);
    assertThat(beforeChange.body()).contains("change your one-time password first");
    HttpResponse<String> changed =
        send(
            "POST",
            "/api/password",
            devCookie,
            "{\"current\":\"dev-password-1234\",\"password\":\"dev-own-password\"}",
            "X-CSRF-Token",
            csrf(devCookie));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(send("GET", "/api/status", devCookie, null).statusCode())
        .as("the session that changed the password goes on")
        .isEqualTo(200);

    assertThat(send("DELETE", "/api/users/dev", cookie, null, "X-CSRF-Token", csrf).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/api/status", devCookie, null).statusCode())
        .as("a removed user's session ends")
        .isEqualTo(401);
    HttpResponse<String> last =
        send("DELETE", "/api/users/" + TestAdmin.USER, cookie, null, "X-CSRF-Token", csrf);
    assertThat(last.statusCode()).isEqualTo(400);
    assertThat(last.body()).contains("last admin");
    JsonNode users = JSON.readTree(send("GET", "/api/users", cookie, null).body());
    assertThat(users.findValuesAsText("name")).containsExactly(TestAdmin.USER);
  }

  @Test
  void everyAdminPortOfTheClusterKnowsTheSameUsers() throws Exception {
    try (AdminServer other = AdminServer.start("127.0.0.1", 0, server::ready)) {
      other.useUsers(
          server.syncServer().kafkaBootstrap(), server.topics(), Optional.empty(), "other");
      await().atMost(Duration.ofSeconds(30)).until(other::usersReady);
      String cookie = cookieOf(login(TestAdmin.USER, TestAdmin.PASSWORD));
      assertThat(
              send(
                      "POST",
                      "/api/users",
                      cookie,
                      "{\"name\":\"kim\",\"role\":\"viewer\",\"password\":\"kim-password-1234\","
                          + "\"mustChangePassword\":false}",
                      "X-CSRF-Token",
                      csrf(cookie))
                  .statusCode())
          .isEqualTo(201);

      String kim = basic("kim", "kim-password-1234");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> send(other, "GET", "/metrics", "Authorization", kim).statusCode() == 200);
    }
  }

  @Test
  void withoutAdminAuthTheFirstStartLogsAOneTimePasswordThatMustBeChanged() throws Exception {
    io.tributary.kafka.Topics fresh =
        new io.tributary.kafka.Topics("fresh-" + System.nanoTime(), 1, (short) 1);
    String bootstrap = server.syncServer().kafkaBootstrap();
    SyncServer.createTopics(bootstrap, fresh);
    try (LogCapture log = new LogCapture("SyncServer");
        AdminServer first = AdminServer.start("127.0.0.1", 0, server::ready)) {
      first.useUsers(bootstrap, fresh, Optional.empty(), "http://127.0.0.1:" + first.port());
      await().atMost(Duration.ofSeconds(30)).until(first::usersReady);
      String line =
          log.messages(Level.WARN).stream()
              .filter(m -> m.contains("one-time password"))
              .findFirst()
              .orElseThrow();
      Matcher password = Pattern.compile("one-time password (\\S+) ").matcher(line);
      assertThat(password.find()).as(line).isTrue();

      HttpResponse<String> signedIn =
          send(first, "GET", "/api/session", "Authorization", basic("admin", password.group(1)));
      assertThat(signedIn.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(signedIn.body()).get("mustChangePassword").asBoolean()).isTrue();
      assertThat(
              send(first, "GET", "/metrics", "Authorization", basic("admin", password.group(1)))
                  .statusCode())
          .as("nothing else until it is changed")
          .isEqualTo(403);
    }
  }

  @Test
  void eachAddressGetsTwentyTriesAMinuteAndOnlyAProxysForwardedAddressCounts() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(loginFrom(admin, "10.0.0.1").statusCode()).isEqualTo(401);
    }
    assertThat(loginFrom(admin, "10.0.0.2").statusCode())
        .as("a client's own X-Forwarded-For is not believed: it is still 127.0.0.1")
        .isEqualTo(429);

    try (AdminServer proxied =
        TestAdmin.start(server, java.util.Set.of(), java.util.Set.of("127.0.0.1"))) {
      for (int i = 0; i < 20; i++) {
        assertThat(loginFrom(proxied, "203.0.113.9, 10.0.0.1").statusCode()).isEqualTo(401);
      }
      assertThat(loginFrom(proxied, "10.0.0.1").statusCode()).isEqualTo(429);
      assertThat(loginFrom(proxied, "10.0.0.1, 10.0.0.2").statusCode())
          .as("another client behind the same proxy")
          .isEqualTo(401);
    }
  }

  /**
   * A wrong login through a proxy (this test) that says the client is {@code forwardedFor}, for a
   * name of its own (five failures of one name would lock it).
   */
  private HttpResponse<String> loginFrom(AdminServer port, String forwardedFor) throws Exception {
    String body =
        JSON.createObjectNode()
            .put("name", "guess" + guesses.incrementAndGet())
            .put("password", "x")
            .toString();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.port() + "/api/login"))
            .timeout(Duration.ofSeconds(30))
            .header("X-Forwarded-For", forwardedFor)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anOversizedBodyIsRefusedAndTheServerAnswersOn() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(Body.MAX_BYTES) + "\"}";
    HttpResponse<String> refused = send("POST", "/api/login", null, huge);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(login(TestAdmin.USER, TestAdmin.PASSWORD).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> login(String name, String password) throws Exception {
    return send(
        "POST",
        "/api/login",
        null,
        JSON.createObjectNode().put("name", name).put("password", password).toString());
  }

  private HttpResponse<String> session(String cookie) throws Exception {
    return send("GET", "/api/session", cookie, null);
  }

  private String csrf(String cookie) throws Exception {
    return JSON.readTree(session(cookie).body()).get("csrf").asText();
  }

  private static String cookieOf(HttpResponse<String> login) {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String basic(String name, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> send(
      String method, String path, String cookie, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(
      AdminServer port, String method, String path, String header, String value) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header(header, value)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

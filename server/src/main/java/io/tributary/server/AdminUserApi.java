package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.admin.AdminRole;
import io.tributary.core.admin.AdminSessions;
import io.tributary.core.admin.AdminUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * Signing in and out, and the users: {@code POST /api/login}, {@code POST /api/logout}, {@code GET
 * /api/session}, {@code POST /api/password} (one's own), and for admins {@code GET|POST
 * /api/users}, {@code PUT|DELETE /api/users/<name>}.
 */
final class AdminUserApi {

  static final int MIN_PASSWORD = 12;
  private static final int MAX_PASSWORD = 1_024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final AdminAccess access;

  AdminUserApi(Vertx vertx, AdminAccess access) {
    this.vertx = vertx;
    this.access = access;
  }

  /** Whether it answers {@code request}. */
  boolean handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/api/login")) {
      only(request, HttpMethod.POST).ifPresent(r -> login(request));
    } else if (path.equals("/api/logout")) {
      only(request, HttpMethod.POST)
          .ifPresent(r -> withCaller(request, caller -> logout(request, caller)));
    } else if (path.equals("/api/session")) {
      withCaller(request, caller -> session(request, caller));
    } else if (path.equals("/api/password")) {
      only(request, HttpMethod.POST)
          .ifPresent(r -> withCaller(request, caller -> changeOwnPassword(request, caller)));
    } else if (path.equals("/api/users") || path.startsWith("/api/users/")) {
      withCaller(
          request,
          caller -> {
            AdminAccess.permit(caller, request);
            return users(request, path.substring("/api/users".length()));
          });
    } else {
      return false;
    }
    return true;
  }

  private interface Action {
    Future<?> run(AdminAccess.Caller caller);
  }

  private void withCaller(HttpServerRequest request, Action action) {
    request.pause();
    access
        .caller(request)
        .compose(
            caller -> {
              try {
                Future<?> done = action.run(caller);
                request.resume();
                return done;
              } catch (RuntimeException e) {
                return Future.failedFuture(e);
              }
            })
        .onFailure(failure -> refuse(request.response(), failure))
        .onComplete(done -> request.resume()); // A refused request's body is read and dropped.
  }

  private void login(HttpServerRequest request) {
    Body.read(request)
        .compose(
            body -> {
              String name = text(body, "name");
              return access
                  .verify(name, text(body, "password"), access.clientAddress(request))
                  .map(
                      user -> {
                        AdminSessions.Session session =
                            access.sessions().open(name, user.passwordHash(), Instant.now());
                        request
                            .response()
                            .putHeader("Set-Cookie", cookie(request, session.token(), false));
                        return sessionJson(user, session);
                      });
            })
        .onSuccess(json -> json(request.response(), 200, json))
        .onFailure(failure -> refuse(request.response(), failure));
  }

  private Future<?> logout(HttpServerRequest request, AdminAccess.Caller caller) {
    caller.session().ifPresent(session -> access.sessions().close(session.token()));
    request.response().putHeader("Set-Cookie", cookie(request, "", true));
    json(request.response(), 200, JSON.createObjectNode().put("signedOut", true));
    return Future.succeededFuture();
  }

  private Future<?> session(HttpServerRequest request, AdminAccess.Caller caller) {
    json(request.response(), 200, sessionJson(caller.user(), caller.session().orElse(null)));
    return Future.succeededFuture();
  }

  private static ObjectNode sessionJson(AdminUser user, AdminSessions.Session session) {
    ObjectNode json =
        JSON.createObjectNode()
            .put("name", user.name())
            .put("role", user.role().label())
            .put("mustChangePassword", user.mustChangePassword());
    json.put("csrf", session == null ? null : session.csrf());
    return json;
  }

  /** {@code {"current": ..., "password": ...}}: the current password again, then the new one. */
  private Future<?> changeOwnPassword(HttpServerRequest request, AdminAccess.Caller caller) {
    String name = caller.user().name();
    return Body.read(request)
        .compose(
            body -> {
              String password = newPassword(body);
              return access
                  .verify(name, text(body, "current"), access.clientAddress(request))
                  .compose(user -> access.hash(password))
                  .compose(
                      hash ->
                          store(
                              new AdminUser(
                                  name,
                                  caller.user().role(),
                                  hash,
                                  false,
                                  System.currentTimeMillis()),
                              Optional.of(caller.user())))
                  .map(
                      user -> {
                        caller
                            .session()
                            .ifPresent(
                                s ->
                                    access
                                        .sessions()
                                        .rebind(s, user.passwordHash(), Instant.now()));
                        return sessionJson(user, caller.session().orElse(null));
                      });
            })
        .onSuccess(json -> json(request.response(), 200, json));
  }

  private Future<?> users(HttpServerRequest request, String rest) {
    HttpServerResponse response = request.response();
    if (rest.isEmpty() && request.method() == HttpMethod.GET) {
      ArrayNode list = JSON.createArrayNode();
      access
          .users()
          .all()
          .values()
          .forEach(
              user ->
                  list.addObject()
                      .put("name", user.name())
                      .put("role", user.role().label())
                      .put("mustChangePassword", user.mustChangePassword())
                      .put("changedAt", Instant.ofEpochMilli(user.changedAt()).toString()));
      json(response, 200, list);
      return Future.succeededFuture();
    }
    if (rest.isEmpty() && request.method() == HttpMethod.POST) {
      return Body.read(request)
          .compose(body -> addUser(body))
          .onSuccess(u -> json(response, 201, u));
    }
    if (!rest.startsWith("/") || rest.indexOf('/', 1) >= 0) {
      throw new AdminAccess.Refused(404, "not found");
    }
    String name = AdminUser.requireName(rest.substring(1));
    if (request.method() == HttpMethod.PUT) {
      return Body.read(request)
          .compose(body -> changeUser(name, body))
          .onSuccess(u -> json(response, 200, u));
    }
    if (request.method() == HttpMethod.DELETE) {
      return vertx
          .executeBlocking(() -> access.store().remove(name), false)
          .onSuccess(u -> json(response, 200, JSON.createObjectNode().put("removed", name)));
    }
    response.setStatusCode(405).putHeader("Allow", "GET, POST, PUT, DELETE").end();
    return Future.succeededFuture();
  }

  /** {@code {"name", "role", "password", "mustChangePassword" (true unless false)}}. */
  private Future<ObjectNode> addUser(JsonNode body) {
    String name = AdminUser.requireName(text(body, "name"));
    AdminRole role = AdminRole.parse(text(body, "role"));
    String password = newPassword(body);
    if (access.users().user(name).isPresent()) {
      // Before the costly hash; the store checks again as it writes.
      throw new AdminAccess.Refused(409, "there is a user " + name + " already");
    }
    boolean mustChange = body.path("mustChangePassword").asBoolean(true);
    return access
        .hash(password)
        .compose(
            hash ->
                store(
                    new AdminUser(name, role, hash, mustChange, System.currentTimeMillis()),
                    Optional.empty()))
        .map(AdminUserApi::userJson);
  }

  /**
   * {@code {"role"}} and/or {@code {"password", "mustChangePassword" (true unless false)}}: a
   * password an admin sets is one-time unless said otherwise.
   */
  private Future<ObjectNode> changeUser(String name, JsonNode body) {
    AdminUser before =
        access
            .users()
            .user(name)
            .orElseThrow(() -> new AdminAccess.Refused(404, "there is no user " + name));
    AdminRole role =
        body.hasNonNull("role") ? AdminRole.parse(body.get("role").asText()) : before.role();
    Future<String> hash =
        body.hasNonNull("password")
            ? access.hash(newPassword(body))
            : Future.succeededFuture(before.passwordHash());
    boolean mustChange =
        body.hasNonNull("password")
            ? body.path("mustChangePassword").asBoolean(true)
            : before.mustChangePassword();
    return hash.compose(
            h ->
                store(
                    new AdminUser(name, role, h, mustChange, System.currentTimeMillis()),
                    Optional.of(before)))
        .map(AdminUserApi::userJson);
  }

  /** Writes {@code user} if the user of its name is still {@code expected}; off the event loop. */
  private Future<AdminUser> store(AdminUser user, Optional<AdminUser> expected) {
    return vertx.executeBlocking(
        () -> {
          access.store().put(user, expected);
          return user;
        },
        false);
  }

  private static ObjectNode userJson(AdminUser user) {
    return JSON.createObjectNode()
        .put("name", user.name())
        .put("role", user.role().label())
        .put("mustChangePassword", user.mustChangePassword());
  }

  private static String newPassword(JsonNode body) {
    String password = text(body, "password");
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw new IllegalArgumentException(
          "a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return password;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("give \"" + field + "\" as a string");
    }
    return value.asText();
  }

  /**
   * The session cookie: script cannot read it, no other site's request carries it, and it travels
   * only over TLS when the page came over TLS (here or at a proxy in front).
   */
  private static String cookie(HttpServerRequest request, String value, boolean expire) {
    boolean tls =
        request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    return AdminAccess.COOKIE
        + "="
        + value
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (tls ? "; Secure" : "")
        + (expire ? "; Max-Age=0" : "");
  }

  private static Optional<HttpServerRequest> only(HttpServerRequest request, HttpMethod method) {
    if (request.method() == method) {
      return Optional.of(request);
    }
    request.response().setStatusCode(405).putHeader("Allow", method.name()).end();
    return Optional.empty();
  }

  static void json(HttpServerResponse response, int status, JsonNode body) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toString());
  }

  /** Answers a refusal or a failure as JSON {@code {"error": ...}} with its status. */
  static void refuse(HttpServerResponse response, Throwable failure) {
    if (response.ended()) {
      return;
    }
    int status = 503;
    if (failure instanceof AdminAccess.Refused refused) {
      status = refused.status;
      if (refused.retryAfter != null) {
        response.putHeader(
            "Retry-After", Long.toString(Math.max(1, refused.retryAfter.toSeconds() + 1)));
      }
    } else if (failure instanceof IllegalArgumentException) {
      status = 400;
    } else if (failure instanceof io.tributary.kafka.AdminUserStore.ChangedMeanwhile) {
      status = 409;
    }
    String message =
        status == 503 ? "cannot answer now: " + failure.getMessage() : failure.getMessage();
    json(response, status, JSON.createObjectNode().put("error", message));
  }
}

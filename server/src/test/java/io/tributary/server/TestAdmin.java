package io.tributary.server;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/** A test server's admin port with its users read: one admin, {@value #USER}, from adminAuth. */
final class TestAdmin {

  static final String USER = "ops";
  static final String PASSWORD = "a-password-for-tests";

  /** The Authorization header of {@value #USER}. */
  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private TestAdmin() {}

  /** The admin port with the web console of {@code server}. */
  static AdminServer console(RunningServer server) {
    AdminServer admin = start(server);
    admin.show(new ServerAdminView(server.syncServer(), "ws://127.0.0.1:" + server.port()));
    return admin;
  }

  static AdminServer start(RunningServer server) {
    return start(server, Set.of());
  }

  static AdminServer start(RunningServer server, Set<String> hostNames) {
    return start(server, hostNames, Set.of());
  }

  /** With {@code proxies}, the addresses whose X-Forwarded-For the port believes. */
  static AdminServer start(RunningServer server, Set<String> hostNames, Set<String> proxies) {
    AdminServer admin =
        AdminServer.start(
            "127.0.0.1", 0, server::ready, new AdminServer.Options(hostNames, proxies, null));
    admin.useUsers(
        server.syncServer().kafkaBootstrap(),
        server.topics(),
        Optional.of(new AdminCredentials(USER, PASSWORD)),
        "http://127.0.0.1:" + admin.port());
    await().atMost(Duration.ofSeconds(30)).until(admin::usersReady);
    return admin;
  }
}

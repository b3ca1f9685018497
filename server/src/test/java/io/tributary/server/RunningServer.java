package io.tributary.server;

import io.tributary.core.ErrorCode;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.auth.Permissions;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.gateway.Authenticator;
import io.tributary.kafka.Topics;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole server for each test: every role on the shared test broker, with topics and a data
 * directory of its own and the example model. Use with {@code @RegisterExtension}.
 */
final class RunningServer implements BeforeEachCallback, AfterEachCallback {

  private Path data;
  private SyncServer server;
  private Topics topics;
  private io.tributary.gateway.ConnectionPolicy connections =
      io.tributary.gateway.ConnectionPolicy.DEFAULTS;

  private Admission admission = Admission.UNSECURED;
  private SyncServer.BackendApiOptions backendApi;
  private boolean changeEvents;

  /** An authenticator for tests: tokens that start with {@code prefix} are good shared secrets. */
  static Authenticator tokensStartingWith(String prefix) {
    return token ->
        token != null && token.startsWith(prefix)
            ? new TokenVerdict.Accepted(Identity.SHARED_SECRET)
            : new TokenVerdict.Refused(
                ErrorCode.AUTHENTICATION_FAILED, "unknown", "not a token of this test");
  }

  /** A server that lets in only whom {@code check} accepts, to every dataset. */
  RunningServer withAuthenticator(Authenticator check) {
    return withAdmission(new Admission(check, Permissions.DEFAULTS));
  }

  /** A server that lets in whom {@code rules} accepts, to what they allow. */
  RunningServer withAdmission(Admission rules) {
    admission = rules;
    return this;
  }

  /** A server with the backend API on a free port, for whom {@code rules} lets in. */
  RunningServer withBackendApi(Admission rules) {
    backendApi = new SyncServer.BackendApiOptions("127.0.0.1", 0, rules);
    return this;
  }

  /** A server whose materializer publishes change events. */
  RunningServer withChangeEvents() {
    changeEvents = true;
    return this;
  }

  /** A server that ends connections silent for {@code timeout}. */
  RunningServer withIdleTimeout(java.time.Duration timeout) {
    return withConnections(connections.withIdleTimeout(timeout));
  }

  /** A server whose connections are held to {@code policy}. */
  RunningServer withConnections(io.tributary.gateway.ConnectionPolicy policy) {
    connections = policy;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    data = Files.createTempDirectory("tributary-server-");
    server =
        SyncServer.start(
            new SyncServer.Options(
                    data,
                    Main.loadModel(Fixtures.exampleModel()),
                    "127.0.0.1",
                    0,
                    TestKafka.bootstrap(),
                    topics = TestKafka.freshTopics(3),
                    connections.idleTimeout(),
                    admission)
                .withConnections(connections)
                .withBackendApi(backendApi)
                .withChangeEvents(changeEvents));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(RunningServer::delete);
    }
  }

  /** The sync WebSocket's port. */
  boolean ready() {
    return server.ready();
  }

  SyncServer syncServer() {
    return server;
  }

  int port() {
    return server.port();
  }

  int backendApiPort() {
    return server.backendApiPort();
  }

  int readApiPort() {
    return server.readApiPort();
  }

  /** The server's own topics on the shared test broker. */
  Topics topics() {
    return topics;
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

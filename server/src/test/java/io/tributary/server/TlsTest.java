package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.SyncClient;
import io.tributary.core.auth.Admission;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.gateway.GatewayConfig;
import io.tributary.gateway.TlsFiles;
import io.tributary.testkit.Fixtures;
import io.tributary.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cert}: the sync port speaks TLS, with a certificate made here by the JDK's keytool. */
class TlsTest {

  @TempDir Path dir;
  private Path certificates;
  private Certificate certificate;
  private TestCertificate made;

  @BeforeEach
  void makeACertificateFor127001() throws Exception {
    made = TestCertificate.make(dir);
    certificates = made.directory();
    certificate = made.certificate();
  }

  @Test
  void aClientThatTrustsTheCertificateSyncsOverWss() throws Exception {
    try (SyncServer server = start();
        SyncClient client =
            new SyncClient(URI.create("wss://127.0.0.1:" + server.port()), "tasks")
                .sslContext(made.trusting())) {
      client.connect().join();
      client.write(
          tx ->
              tx.create("Task", 1)
                  .set("Task", 1, "text", io.tributary.core.changeset.Value.of("over TLS")));

      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
      assertThat(client.serverVersion()).isEqualTo(1);
      assertThat(client.get(new ObjectKey("Task", 1))).isPresent();
    }
  }

  /**
   * TLS 1.0 and 1.1 are refused by the server: the probe runs in a JVM whose own refusal of them is
   * lifted (the server's JVM refuses them by the JDK's defaults too, besides its setting). TLS 1.2
   * takes only forward-secret AEAD suites; 1.3 works.
   */
  @Test
  void onlyTls12And13WithModernSuitesAreServed() throws Exception {
    Path unrestricted = dir.resolve("old-protocols-allowed.security");
    Files.writeString(unrestricted, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL, anon\n");
    try (SyncServer server = start()) {
      assertThat(probe(unrestricted, server.port(), "TLSv1.3")).startsWith("handshake TLSv1.3");
      assertThat(probe(unrestricted, server.port(), "TLSv1.2"))
          .startsWith("handshake TLSv1.2 TLS_ECDHE_RSA_WITH_");
      assertThat(probe(unrestricted, server.port(), "TLSv1.1")).startsWith("refused");
      assertThat(probe(unrestricted, server.port(), "TLSv1")).startsWith("refused");
      assertThat(probe(unrestricted, server.port(), "TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"))
          .as("no forward secrecy, no AEAD")
          .startsWith("refused");
    }
  }

  /** What {@link TlsProbe} says of one handshake, from a JVM of its own. */
  private static String probe(Path securityProperties, int port, String... protocolAndSuite)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + securityProperties,
                "-cp",
                System.getProperty("java.class.path"),
                TlsProbe.class.getName(),
                Integer.toString(port)));
    command.addAll(List.of(protocolAndSuite));
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(probe.getInputStream().readAllBytes()).trim();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  @Test
  void plainWebSocketsAndUntrustingClientsAreNotServed() throws Exception {
    try (SyncServer server = start()) {
      HttpClient untrusting = HttpClient.newHttpClient();

      assertThatThrownBy(() -> open(untrusting, "ws://127.0.0.1:" + server.port()))
          .isInstanceOf(CompletionException.class);
      assertThatThrownBy(() -> open(untrusting, "wss://127.0.0.1:" + server.port()))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void aDirectoryWithoutTheKeyIsRefusedNamingTheFile() throws Exception {
    Files.delete(certificates.resolve("key.pem"));

    assertThatThrownBy(() -> TlsFiles.inDirectory(certificates))
        .hasMessage("Certificate directory " + certificates + " has no key.pem");
  }

  private SyncServer start() {
    return SyncServer.start(
        new SyncServer.Options(
                dir.resolve("data"),
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                TestKafka.bootstrap(),
                TestKafka.freshTopics(3),
                GatewayConfig.DEFAULT_IDLE_TIMEOUT,
                Admission.UNSECURED)
            .withTls(TlsFiles.inDirectory(certificates)));
  }

  private static void open(HttpClient http, String uri) {
    WebSocket socket =
        http.newWebSocketBuilder()
            .subprotocols(io.tributary.schemas.codec.Handshake.currentSubprotocol())
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(uri), new WebSocket.Listener() {})
            .join();
    socket.abort();
  }
}

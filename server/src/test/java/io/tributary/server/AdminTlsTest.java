package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.gateway.TlsFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --admin-cert}: the admin port speaks TLS, and its session cookie is Secure. */
class AdminTlsTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  @TempDir Path dir;

  @Test
  void theAdminPortSpeaksTlsAndItsSessionCookieTravelsOnlyOverIt() throws Exception {
    TestCertificate certificate = TestCertificate.make(dir);
    try (AdminServer admin =
        AdminServer.start(
            "127.0.0.1",
            0,
            server::ready,
            new AdminServer.Options(
                Set.of(), Set.of(), TlsFiles.inDirectory(certificate.directory())))) {
      admin.useUsers(
          server.syncServer().kafkaBootstrap(),
          server.topics(),
          Optional.of(new AdminCredentials(TestAdmin.USER, TestAdmin.PASSWORD)),
          "https://127.0.0.1:" + admin.port());
      await().atMost(Duration.ofSeconds(30)).until(admin::usersReady);
      HttpClient trusting =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(certificate.trusting())
              .build();

      HttpResponse<String> login =
          trusting.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + admin.port() + "/api/login"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\""
                              + TestAdmin.USER
                              + "\",\"password\":\""
                              + TestAdmin.PASSWORD
                              + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
          .endsWith("; HttpOnly; SameSite=Strict; Secure");

      HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + admin.port() + "/health/live"))
                          .timeout(Duration.ofSeconds(10))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .as("no plain HTTP on a TLS port")
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void anHttpsAdminAddressNeedsItsCertificate() {
    SettingOptions options = new SettingOptions();
    new picocli.CommandLine(options).parseArgs("--admin-bind", "https://127.0.0.1:9980");
    Settings settings = Settings.resolve(options, ConfigFile.empty());
    assertThatThrownBy(() -> Startup.adminTls(settings))
        .hasMessage(
            "admin bind https://127.0.0.1:9980 needs --admin-cert, a directory with cert.pem and"
                + " key.pem");
  }
}

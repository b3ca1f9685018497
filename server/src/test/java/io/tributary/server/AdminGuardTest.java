package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.SyncClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin port serves operators only: a page of another site cannot read it by DNS rebinding, nor
 * change anything, nor frame it. Requests go over a plain socket, as a browser would send them,
 * with the Host and Origin headers an attacker's page makes.
 */
class AdminGuardTest {

  @RegisterExtension final RunningServer server = new RunningServer();

  @Test
  void aForeignHostReadsNothingNotEvenAnExport() throws Exception {
    try (AdminServer admin = admin();
        SyncClient client =
            new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), "tasks")) {
      client.connect().join();
      client.write(tx -> tx.create("Task", 1));
      assertThat(client.awaitSynced(Duration.ofSeconds(30))).isTrue();
      String export = "/api/datasets/tasks/export";

      assertThat(request(admin, "GET", export, "attacker.example", null))
          .startsWith("HTTP/1.1 421")
          .doesNotContain("\"Task\"");
      assertThat(request(admin, "GET", "/metrics", "attacker.example:9980", null))
          .startsWith("HTTP/1.1 421");
      assertThat(request(admin, "GET", export, "127.0.0.1:" + admin.port(), null))
          .startsWith("HTTP/1.1 200")
          .contains("\"Task\"");
      assertThat(request(admin, "GET", export, "localhost", null)).startsWith("HTTP/1.1 200");
      assertThat(request(admin, "GET", export, "[::1]:9980", null)).startsWith("HTTP/1.1 200");
      assertThat(request(admin, "GET", export, "admin.example", null))
          .as("a name from adminHosts")
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void changesFromAnotherOriginAreRefused() throws Exception {
    try (AdminServer admin = admin()) {
      String self = "127.0.0.1:" + admin.port();
      assertThat(request(admin, "PUT", "/log-level", self, "http://attacker.example"))
          .startsWith("HTTP/1.1 403");
      assertThat(request(admin, "PUT", "/log-level", self, "http://" + self))
          .startsWith("HTTP/1.1 200");
      assertThat(request(admin, "PUT", "/log-level", self, null))
          .as("no Origin: a script, not a page")
          .startsWith("HTTP/1.1 200");
      assertThat(request(admin, "GET", "/log-level", self, "http://attacker.example"))
          .as("a read: the Host check is what keeps it")
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void everyAnswerForbidsFramingAndForeignScripts() throws Exception {
    try (AdminServer admin = admin()) {
      String page = request(admin, "GET", "/", "127.0.0.1:" + admin.port(), null);
      assertThat(page)
          .contains("X-Frame-Options: DENY")
          .contains("X-Content-Type-Options: nosniff")
          .contains("Content-Security-Policy: default-src 'self'; frame-ancestors 'none'")
          .contains("<script src=\"/admin.js\"></script>")
          .doesNotContain("<script>");
      assertThat(request(admin, "GET", "/admin.js", "localhost", null)).contains("\"use strict\"");
    }
  }

  private AdminServer admin() {
    AdminServer admin = TestAdmin.start(server, Set.of("admin.example"));
    admin.show(new ServerAdminView(server.syncServer(), "ws://127.0.0.1:" + server.port()));
    return admin;
  }

  /** One HTTP/1.1 request with these headers; the whole answer, headers and body. */
  private static String request(
      AdminServer admin, String method, String path, String host, String origin) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", admin.port())) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder();
      request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(host).append("\r\n");
      request.append("Authorization: ").append(TestAdmin.BASIC).append("\r\n");
      if (origin != null) {
        request.append("Origin: ").append(origin).append("\r\n");
      }
      byte[] body = method.equals("PUT") ? "info".getBytes(StandardCharsets.US_ASCII) : new byte[0];
      request.append("Content-Length: ").append(body.length).append("\r\n");
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

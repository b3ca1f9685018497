package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testkit.Fixtures;
import io.tributary.testkit.RoleProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the {@code sync-server} command refuses to start ends the same: exit code 1 and one
 * ERROR line that says what is wrong, without a stack trace. Each case runs the real command in its
 * own process.
 */
class RefusalsTest {

  @TempDir Path dir;

  @Test
  void withoutAnAuthenticationMethod() throws Exception {
    assertRefused("Authenticator must be set before starting", "--model", model(), "-d", data());
  }

  @Test
  void aBrokenModelFileNamingWhereItIsBroken() throws Exception {
    Path broken =
        Files.writeString(dir.resolve("broken.json"), "{\"entities\": [{\"name\": \"Task\"}]}");

    assertRefused(
        "Invalid model: " + broken + ": entities[0] (Task): \"id\" must be a non-empty string",
        "--model",
        broken.toString(),
        "--unsecured-no-authentication",
        "-d",
        data());
  }

  @Test
  void anUnknownKeyInTheConfigurationFile() throws Exception {
    Path conf = Files.writeString(dir.resolve("conf.json"), "{\"bindd\": \"ws://0.0.0.0:1\"}");

    String line = assertRefused(null, "--model", model(), "--conf", conf.toString(), "-d", data());
    assertThat(line).contains(conf.toString()).contains("bindd");
  }

  @Test
  void aSyncPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      String line =
          assertRefused(
              "Cannot listen for sync on 127.0.0.1:" + port,
              "--model",
              model(),
              "--unsecured-no-authentication",
              "-d",
              data(),
              "--bind",
              "ws://127.0.0.1:" + port,
              "--admin-off");
      assertThat(line).containsIgnoringCase("address already in use");
    }
  }

  @Test
  void anAdminPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertRefused(
          "cannot listen on the admin port 127.0.0.1:" + port,
          "--model",
          model(),
          "--unsecured-no-authentication",
          "-d",
          data(),
          "--admin-bind",
          "http://127.0.0.1:" + port);
    }
  }

  @Test
  void aDatabaseDirectoryThatCannotBeWritten() throws Exception {
    // Below a regular file nothing can be created, not even by root.
    Path file = Files.writeString(dir.resolve("a-file"), "");

    assertRefused(
        "Cannot write to the database directory " + file.resolve("data") + ": Not a directory",
        "--model",
        model(),
        "--unsecured-no-authentication",
        "-d",
        file.resolve("data").toString(),
        "--admin-off");
  }

  @Test
  void aDatabaseDirectoryThatIsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "");

    assertRefused(
        "Cannot write to the database directory " + file + ": " + file + " is a file",
        "--model",
        model(),
        "--unsecured-no-authentication",
        "-d",
        file.toString(),
        "--admin-off");
  }

  @Test
  void aCertificateDirectoryWithoutItsFiles() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("certs"));

    assertRefused(
        "Certificate directory " + empty + " has no cert.pem",
        "--model",
        model(),
        "--unsecured-no-authentication",
        "-d",
        data(),
        "--cert",
        empty.toString());
  }

  @Test
  void aWssAddressWithoutCertificates() throws Exception {
    assertRefused(
        "bind wss://127.0.0.1:0 needs --cert, a directory with cert.pem and key.pem",
        "--model",
        model(),
        "--unsecured-no-authentication",
        "-d",
        data(),
        "--bind",
        "wss://127.0.0.1:0");
  }

  /** Every bad setting is refused with one line before anything starts or is written. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "--idle-timeout 0|--idle-timeout must be a positive number of seconds, not 0",
        "--idle-timeout -1|--idle-timeout must be a positive number of seconds, not -1",
        "--bind ws://127.0.0.1:99999|--bind \"ws://127.0.0.1:99999\" is not an address",
        "--admin-bind localhost:notaport|--admin-bind \"localhost:notaport\" is not an address",
        "--max-sessions-per-connection 0|--max-sessions-per-connection must be a whole number",
        "--max-uploads-in-flight 0|--max-uploads-in-flight must be a whole number",
        "{\"idleTimeout\": -5}|idleTimeout must be a positive number of seconds, not -5",
        "{\"auth\": {\"sharedSecret\": \"\"}}|auth.sharedSecret must not be empty",
        "{\"auth\": {\"sharedSecret\": \" s3cret \"}}|auth.sharedSecret must not begin or end",
        "{\"auth\": \"abc\"}|\"auth\" must be an object, not \"abc\"",
      })
  void aBadSetting(String setting, String expected) throws Exception {
    List<String> args = new ArrayList<>(List.of("--model", model(), "-d", data()));
    if (setting.startsWith("{")) {
      args.addAll(
          List.of("--conf", Files.writeString(dir.resolve("conf.json"), setting).toString()));
    } else {
      args.addAll(List.of(setting.split(" ")));
    }
    if (!setting.contains("auth")) {
      args.add("--unsecured-no-authentication");
    }
    assertThat(assertRefused(null, args.toArray(String[]::new))).contains(expected);
    assertThat(dir.resolve("data")).as("nothing was started or written").doesNotExist();
  }

  /**
   * Runs the command and checks it ends with exit 1 and exactly one ERROR line, starting with
   * {@code expected} if given; returns that line.
   */
  private String assertRefused(String expected, String... args) throws Exception {
    // Free ports unless the case names its own: a refusal must not depend on 9999 being free.
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--bind")) {
      all.addAll(List.of("--bind", "ws://127.0.0.1:0"));
    }
    if (!all.contains("--admin-bind") && !all.contains("--admin-off")) {
      all.addAll(List.of("--admin-bind", "http://127.0.0.1:0"));
    }
    try (RoleProcess server =
        RoleProcess.startAsShipped(
            dir.resolve("logs"), "refused-" + System.nanoTime(), all.toArray(String[]::new))) {
      assertThat(server.awaitExit(Duration.ofMinutes(1))).as(server.output()).isEqualTo(1);
      String output = server.output();
      List<String> errors = output.lines().filter(line -> line.contains("[ERROR]")).toList();
      assertThat(errors).as(output).hasSize(1);
      assertThat(output).doesNotContain("\tat ").doesNotContain("Exception:");
      String message = errors.get(0).replaceFirst("^.*\\[ERROR\\] \\[\\w+ *\\] ", "");
      if (expected != null) {
        assertThat(message).startsWith(expected);
      }
      return message;
    }
  }

  private static String model() {
    return Fixtures.exampleModel().toString();
  }

  private String data() {
    return dir.resolve("data").toString();
  }
}

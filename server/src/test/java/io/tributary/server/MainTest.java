package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The command refuses to start, with a non-zero exit, where it must. */
class MainTest {

  @Test
  void refusesToStartWithoutAnAuthenticationMethod() {
    assertThat(Main.run("--model", Fixtures.exampleModel().toString())).isEqualTo(1);
  }

  @Test
  void refusesAMissingModelFile() {
    assertThat(
            Main.run(
                "--model", "/nonexistent/objectbox-model.json", "--unsecured-no-authentication"))
        .isEqualTo(1);
  }

  @Test
  void refusesToStartWithoutAModel() {
    assertThat(Main.run("--unsecured-no-authentication")).isNotZero();
  }

  @Test
  void tellsItsVersionAndHelpAsObjectBoxsServerDoes() {
    // The build's own version, as Maven wrote it: never a placeholder.
    assertThat(output("-v")).matches("Tributary sync-server \\d+\\.\\d+\\.\\d+\\S*\\R");
    assertThat(output("--version")).isEqualTo(output("-v"));
    assertThat(output("-h"))
        .startsWith("Usage: sync-server")
        .contains("--model", "--conf", "--db-directory", "--bind", "--admin-bind", "--admin-off")
        .contains("--unsecured-no-authentication", "--log-level", "--debug", "--kafka-bootstrap");
    assertThat(output("--help")).isEqualTo(output("-h"));
  }

  /** What the command prints on standard output; it must exit 0. */
  private static String output(String... args) {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(out, true));
      assertThat(Main.run(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString();
  }

  @Test
  void refusesAnUnknownOptionPointingToTheHelp() {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    try {
      System.setErr(new java.io.PrintStream(err, true));
      assertThat(Main.run("--model", Fixtures.exampleModel().toString(), "--no-such-option"))
          .isEqualTo(2);
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString())
        .isEqualTo(
            "Unknown option: '--no-such-option'\nTry 'sync-server --help' for more.\n"
                .replace("\n", System.lineSeparator()));
  }
}

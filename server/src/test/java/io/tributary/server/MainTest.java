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
  void refusesAnUnknownOption() {
    assertThat(Main.run("--model", Fixtures.exampleModel().toString(), "--no-such-option"))
        .isNotZero();
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.auth.Identity;
import io.tributary.core.auth.TokenCheck;
import io.tributary.core.auth.TokenVerdict;
import io.tributary.testkit.Fixtures;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON configuration file: ObjectBox's own example as it is, and clear refusals. */
class ConfigFileTest {

  @TempDir Path temp;

  @Test
  void objectBoxsExampleConfigurationIsAcceptedAsItIs() {
    Path example = Fixtures.objectboxModel("tasks-sync-server-config.json");

    ConfigFile config = ConfigFile.read(example);

    assertThat(config.path("modelFile")).contains(Path.of("/data/objectbox-model.json"));
    assertThat(config.uri("bind")).contains(URI.create("ws://0.0.0.0:9999"));
    assertThat(config.flag("unsecuredNoAuthentication")).contains(true);
    assertThat(config.text("dbMaxSize")).contains("1G");
    assertThat(config.flag("debug")).as("\"_debug\" is a comment").isEmpty();
  }

  @Test
  void anUnknownKeyIsNamed() throws Exception {
    Path file = write("{\"modelFile\": \"m.json\", \"bindd\": \"ws://0.0.0.0:1\"}");

    assertThatThrownBy(() -> ConfigFile.read(file)).hasMessage(file + ": unknown key \"bindd\"");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() throws Exception {
    Path file = write("{\"unsecuredNoAuthentication\": \"yes\"}");

    assertThatThrownBy(() -> ConfigFile.read(file))
        .hasMessage(file + ": \"unsecuredNoAuthentication\" must be a boolean, not \"yes\"");
  }

  @Test
  void brokenJsonSaysWhere() throws Exception {
    Path file = write("{\n  \"bind\": \"ws://x\",\n  oops\n}");

    assertThatThrownBy(() -> ConfigFile.read(file)).hasMessageContaining("at line 3");
  }

  @Test
  void aSharedSecretLetsInOnlyWhoKnowsIt() throws Exception {
    Path file = write("{\"auth\": {\"sharedSecret\": \"s3cret\"}}");
    TokenCheck tokens =
        Startup.admission(Settings.resolve(new SettingOptions(), ConfigFile.read(file))).tokens();

    assertThat(tokens.check("s3cret")).isEqualTo(new TokenVerdict.Accepted(Identity.SHARED_SECRET));
    assertThat(tokens.check("guess")).isInstanceOf(TokenVerdict.Refused.class);
    assertThat(((TokenVerdict.Refused) tokens.check(null)).message())
        .isEqualTo("a token is required");
  }

  @Test
  void theCommandLineOverridesTheFileAndEveryRefusalIsOneLine() throws Exception {
    Path file =
        write(
            "{\"modelFile\": \"/nowhere/from-the-file.json\","
                + " \"unsecuredNoAuthentication\": true}");

    // The file counts (no authentication error); the model of the command line is the missing one.
    assertThat(refusal("--conf", file.toString(), "--model", temp.resolve("cli.json").toString()))
        .contains("cli.json does not exist")
        .doesNotContain("from-the-file");
    assertThat(refusal("--conf", temp.resolve("absent.json").toString()))
        .contains("absent.json does not exist");
    assertThat(refusal("--conf", write("{\"certificatePath\": \"/certs\"}").toString()))
        .isEqualTo("Certificate directory /certs has no cert.pem");
    assertThat(refusal("--log-level", "loud", "--model", "x"))
        .contains("logLevel must be trace, debug, info, warn or error, not loud");
  }

  /** The one ERROR line the command logs when it refuses to start with {@code args}; exit 1. */
  private static String refusal(String... args) {
    List<String> errors;
    try (LogCapture log = new LogCapture("SyncServer")) {
      assertThat(Main.run(args)).isEqualTo(1);
      errors = log.messages(ch.qos.logback.classic.Level.ERROR);
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).doesNotContain("\n");
    return errors.get(0);
  }

  private Path write(String json) throws Exception {
    Path file = Files.createTempFile(temp, "sync-server-config", ".json");
    Files.writeString(file, json);
    return file;
  }
}

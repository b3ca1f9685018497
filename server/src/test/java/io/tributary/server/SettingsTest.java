package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.gateway.ConnectionQuotas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** One settings path: the command line over the configuration file over the defaults. */
class SettingsTest {

  @TempDir Path temp;

  @Test
  void defaultsWhenNothingIsGiven() {
    Settings settings = resolve("{}");
    assertThat(settings.bind()).isEqualTo(new HostPort("ws", "0.0.0.0", 9999));
    assertThat(settings.admin()).contains(new HostPort(null, "127.0.0.1", 9980));
    assertThat(settings.connections().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.connections().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.connections().limits().sessions()).isEqualTo(64);
    assertThat(settings.connections().limits().uploadsInFlight()).isEqualTo(256);
    assertThat(settings.connections().gatewayUploadsInFlight()).isEqualTo(1024);
    assertThat(settings.topics().partitions()).isEqualTo(12);
    assertThat(settings.readApi()).isEqualTo(new HostPort(null, "127.0.0.1", 9981));
    assertThat(settings.kafkaBootstrap()).isEmpty();
  }

  @Test
  void theFileOverTheDefaultsAndTheCommandLineOverTheFile() {
    String file =
        "{\"idleTimeout\": 30, \"maxSessionsPerConnection\": 8, \"topicPrefix\": \"file\","
            + " \"maxUploadsInFlight\": 40, \"maxGatewayUploadsInFlight\": 400,"
            + " \"readApi\": \"0.0.0.0:7000\", \"handshakeTimeout\": 2.5}";
    Settings fromFile = resolve(file);
    assertThat(fromFile.connections().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(fromFile.connections().handshakeTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(fromFile.connections().limits().sessions()).isEqualTo(8);
    assertThat(fromFile.connections().limits().uploadsInFlight()).isEqualTo(40);
    assertThat(fromFile.connections().gatewayUploadsInFlight()).isEqualTo(400);
    assertThat(fromFile.topics().prefix()).isEqualTo("file");
    assertThat(fromFile.readApi()).isEqualTo(new HostPort(null, "0.0.0.0", 7000));

    Settings both =
        resolve(
            file,
            "--idle-timeout",
            "5",
            "--topic-prefix",
            "cli",
            "--max-uploads-in-flight",
            "9",
            "--max-gateway-uploads-in-flight",
            "90");
    assertThat(both.connections().limits().uploadsInFlight()).isEqualTo(9);
    assertThat(both.connections().gatewayUploadsInFlight()).isEqualTo(90);
    assertThat(both.connections().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(both.topics().prefix()).isEqualTo("cli");
    assertThat(both.connections().limits().sessions()).isEqualTo(8);
  }

  @Test
  void connectionQuotasComeFromTheFileAndTheCommandLine() {
    String file =
        "{\"maxConnections\": 500, \"maxConnectionsPerAddress\": 50,"
            + " \"maxUploadsPerSecond\": 20, \"uploadBurst\": 200}";
    assertThat(resolve(file).connections().quotas())
        .isEqualTo(new ConnectionQuotas(500, 50, 20, 200));
    assertThat(
            resolve(file, "--max-connections-per-address", "7", "--upload-burst", "8")
                .connections()
                .quotas())
        .isEqualTo(new ConnectionQuotas(500, 7, 20, 8));
    assertThat(resolve("{}").connections().quotas()).isEqualTo(ConnectionQuotas.DEFAULTS);
  }

  @Test
  void permissionRulesAreCheckedWholeAtStartAndABadOneNamesWhereItIs() {
    String rules =
        "{\"auth\": {\"sharedSecret\": \"s\"}, \"permissions\": {\"jwt\": ["
            + "{\"dataset\": \"user-{sub}\", \"access\": \"read-write\"},"
            + " {\"dataset\": \"team-{claims.teams[*]}\", \"access\": \"read\","
            + " \"when\": {\"claims.role\": \"member\"}}]}}";
    assertThat(resolve(rules).auth().permissions().rulesOf(io.tributary.core.auth.AuthMethod.JWT))
        .hasSize(2);
    assertThatThrownBy(
            () ->
                resolve(
                    "{\"permissions\": {\"jwt\": [{\"dataset\": \"user-{email}\","
                        + " \"access\": \"read\"}]}}"))
        .hasMessageContaining("permissions.jwt[0]")
        .hasMessageContaining("is not a claim");
    assertThatThrownBy(
            () ->
                resolve(
                    "{\"permissions\": {\"jwt\": [{\"dataset\": \"x\", \"access\":"
                        + " \"write\"}]}}"))
        .hasMessageContaining("permissions.jwt[0]")
        .hasMessageContaining("read-write");
    assertThatThrownBy(() -> resolve("{\"auth\": {\"jwt\": {\"issuer\": \"x\"}}}"))
        .hasMessageContaining("auth.jwt")
        .hasMessageContaining("secret, publicKeysFile or jwksUrl");
    assertThatThrownBy(() -> resolve("{\"auth\": {\"jwt\": {\"secret\": \"short\"}}}"))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> resolve("{\"auth\": {\"jwt\": {\"jwksUrl\": \"ftp://keys\"}}}"))
        .hasMessageContaining("https:// URL");
  }

  @Test
  void changeEventsAreOffByDefaultAndMayBeOnOrCompacted() {
    assertThat(resolve("{}").changeEvents()).isEqualTo(ChangeEventsMode.OFF);
    assertThat(resolve("{}").topics().compactChanges()).isFalse();
    Settings compacted = resolve("{\"changeEvents\": \"compacted\"}");
    assertThat(compacted.changeEvents()).isEqualTo(ChangeEventsMode.COMPACTED);
    assertThat(compacted.topics().compactChanges()).isTrue();
    assertThat(resolve("{\"changeEvents\": \"on\"}", "--change-events", "OFF").changeEvents())
        .isEqualTo(ChangeEventsMode.OFF);
    assertThatThrownBy(() -> resolve("{\"changeEvents\": \"yes\"}"))
        .hasMessageContaining("changeEvents must be on, compacted or off, not \"yes\"");
  }

  @Test
  void theBackendApiTakesNamedKeysAndRefusesWeakOrRepeatedOnes() {
    String key = "\"0123456789abcdef01234567\"";
    Settings settings =
        resolve(
            "{\"backendApi\": {\"bind\": \"0.0.0.0:7000\", \"keys\": [{\"name\": \"billing\", \"key\": "
                + key
                + "}]}}");
    assertThat(settings.backendApi().bind()).isEqualTo(new HostPort(null, "0.0.0.0", 7000));
    assertThat(settings.backendApi().keys()).containsEntry("billing", "0123456789abcdef01234567");
    assertThat(resolve("{}").backendApi().bind()).isEqualTo(new HostPort(null, "127.0.0.1", 9982));
    assertThat(resolve("{}").backendApi().keys()).isEmpty();
    assertThat(resolve("{}", "--backend-api", "127.0.0.1:7001").backendApi().bind().port())
        .isEqualTo(7001);

    assertThatThrownBy(
            () -> resolve("{\"backendApi\": {\"keys\": [{\"name\": \"b\", \"key\": \"short\"}]}}"))
        .hasMessageContaining("backendApi.keys[0].key must be at least 24 characters");
    assertThatThrownBy(
            () ->
                resolve(
                    "{\"backendApi\": {\"keys\": [{\"name\": \"b\", \"key\": "
                        + key
                        + "}, {\"name\": \"b\", \"key\": \"another-key-0123456789abcdef\"}]}}"))
        .hasMessageContaining("backendApi.keys[1].name \"b\" is taken");
    assertThatThrownBy(() -> resolve("{\"backendApi\": {\"keys\": [\"just a key\"]}}"))
        .hasMessageContaining("backendApi.keys[0] must be {\"name\": \"...\", \"key\": \"...\"}");
    assertThatThrownBy(() -> resolve("{\"backendApi\": {\"bind\": \"https://0.0.0.0:7000\"}}"))
        .hasMessageContaining("is plain HTTP");
  }

  @Test
  void theAdminAddressTakesObjectBoxsFormAndAUrl() {
    assertThat(resolve("{}", "--admin-bind", "0.0.0.0:9980").admin())
        .contains(new HostPort(null, "0.0.0.0", 9980));
    assertThat(resolve("{}", "--admin-bind", "localhost:28781").admin())
        .contains(new HostPort(null, "localhost", 28781));
    assertThat(resolve("{}", "--admin-bind", "http://[::1]:9980").admin())
        .contains(new HostPort(null, "::1", 9980));
    assertThat(resolve("{\"adminBind\": \"127.0.0.1\"}").admin())
        .contains(new HostPort(null, "127.0.0.1", 9980));
    assertThat(resolve("{}", "--admin-off").admin()).isEmpty();
  }

  @Test
  void checkpointEveryIsAWholeNumberWithinItsRange() {
    assertThat(resolve("{}").checkpointEvery()).isEqualTo(50_000);
    assertThat(resolve("{\"checkpointEvery\": 200000}").checkpointEvery()).isEqualTo(200_000);
    assertThat(
            resolve("{\"checkpointEvery\": 200000}", "--checkpoint-every", "5000")
                .checkpointEvery())
        .isEqualTo(5_000);
    assertThatThrownBy(() -> resolve("{\"checkpointEvery\": 999}"))
        .hasMessageContaining("checkpointEvery must be a whole number from 1000 to 100000000");
  }

  @Test
  void adminProxiesAreIpAddressesFromTheFileOrTheCommandLine() {
    assertThat(resolve("{}").adminProxies()).isEmpty();
    assertThat(resolve("{\"adminProxies\": [\"10.0.0.5\", \" ::1 \"]}").adminProxies())
        .containsExactlyInAnyOrder("10.0.0.5", "0:0:0:0:0:0:0:1");
    assertThat(
            resolve("{\"adminProxies\": [\"10.0.0.5\"]}", "--admin-proxies", "10.0.0.6,10.0.0.7")
                .adminProxies())
        .containsExactlyInAnyOrder("10.0.0.6", "10.0.0.7");
    assertThatThrownBy(() -> resolve("{\"adminProxies\": [\"proxy.example\"]}"))
        .hasMessageContaining("adminProxies: proxy.example is not an IP address");
  }

  @Test
  void theSyncAddressIsWsOrWss() {
    assertThat(resolve("{}", "--bind", "127.0.0.1:9000").bind())
        .isEqualTo(new HostPort("ws", "127.0.0.1", 9000));
    assertThat(resolve("{}", "--bind", "wss://0.0.0.0").bind())
        .isEqualTo(new HostPort("wss", "0.0.0.0", 9999));
    assertThatThrownBy(() -> resolve("{}", "--bind", "http://0.0.0.0:1"))
        .hasMessage("--bind must be a ws:// or wss:// address, not \"http://0.0.0.0:1\"");
  }

  @Test
  void badValuesAreNamedWithWhereTheyCameFrom() throws Exception {
    assertThatThrownBy(() -> resolve("{}", "--admin-bind", ":9980"))
        .hasMessageStartingWith("--admin-bind \":9980\" is not an address to listen on");
    assertThatThrownBy(() -> resolve("{\"partitions\": 0}"))
        .hasMessageEndingWith("partitions must be a whole number from 1 to 10000, not 0")
        .hasMessageContaining(".json");
    assertThatThrownBy(() -> resolve("{}", "--idle-timeout", "soon"))
        .hasMessage("--idle-timeout must be a number, not \"soon\"");
    assertThatThrownBy(() -> resolve("{\"topicPrefix\": \"a b\"}"))
        .hasMessageContaining("topicPrefix must be 1-100 letters");
    assertThatThrownBy(() -> resolve("{\"materializerUrl\": \"materializer:9981\"}"))
        .hasMessageStartingWith("materializerUrl must be http://host:port");
    assertThatThrownBy(() -> resolve("{}", "--log-level", "loud"))
        .hasMessage("logLevel must be trace, debug, info, warn or error, not loud");
    assertThatThrownBy(() -> resolve("{}", "--standby-replicas", "9"))
        .hasMessage("--standby-replicas must be a whole number from 0 to 8, not 9");
    assertThatThrownBy(() -> resolve("{\"readApiUrl\": \"materializer-1\"}"))
        .hasMessageStartingWith("readApiUrl must be http://host:port");
  }

  @Test
  void aMaterializerAloneTakesItsStandbysAndItsAnnouncedUrl() throws Exception {
    Settings settings =
        resolve("{\"standbyReplicas\": 2}", "--read-api-url", "http://materializer-1:9981");

    assertThat(settings.standbyReplicas()).isEqualTo(2);
    assertThat(settings.readApiUrl()).contains("http://materializer-1:9981");
    assertThat(resolve("{}").standbyReplicas()).isZero();
  }

  private Settings resolve(String json, String... args) {
    SettingOptions options = new SettingOptions();
    new CommandLine(options).parseArgs(args);
    try {
      Path file = Files.writeString(Files.createTempFile(temp, "settings", ".json"), json);
      return Settings.resolve(options, ConfigFile.read(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend API admitted as the configuration file says (here: JWTs and a shared secret, no API
 * key): a JWT writes and reads what the permission rules give its claims, and nothing else; the
 * shared secret, which apps hold, never opens it.
 */
class BackendJwtTest {

  private static final TestTokens TOKENS = new TestTokens();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String WRITE =
      "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": 1}]}";

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withBackendApi(
              Startup.backendApi(
                      Settings.resolve(
                          new SettingOptions(),
                          ConfigFile.read(TOKENS.configFile(Duration.ofSeconds(5)))))
                  .admission());

  @Test
  void aJwtUsesTheDatasetsItsClaimsAllowAndTheSharedSecretNone() throws Exception {
    String ada = TOKENS.token("ada", List.of("blue"), Duration.ofMinutes(5));

    assertThat(post("user-ada", ada).statusCode()).isEqualTo(201);
    assertThat(post("team-blue", ada).statusCode()).isEqualTo(201);
    HttpResponse<String> others = post("user-bob", ada);
    assertThat(others.statusCode()).isEqualTo(403);
    assertThat(others.body()).contains("permission_denied");
    assertThat(post("public", ada).statusCode()).as("read-only").isEqualTo(403);
    assertThat(get("public", ada).statusCode()).as("but readable").isEqualTo(404);
    assertThat(get("user-ada", ada).statusCode()).isEqualTo(200);
    assertThat(get("user-bob", ada).statusCode()).isEqualTo(403);

    assertThat(post("user-ada", TestTokens.SHARED_SECRET).statusCode()).isEqualTo(401);
    assertThat(server.syncServer().store().head("user-bob")).isZero();
    assertThat(server.syncServer().store().head("user-ada")).isEqualTo(1);
  }

  private HttpResponse<String> post(String dataset, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/v1/datasets/" + dataset + "/changesets"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(WRITE))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String dataset, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/v1/datasets/" + dataset + "/objects/Task/1"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.backendApiPort() + path);
  }
}

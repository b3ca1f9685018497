package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.SyncClient;
import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Permissions;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.gateway.Authenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend API with a real server: a backend's write reaches a client as an ordinary download,
 * transformed against the client's concurrent change; a retry with the same idempotency key applies
 * once; a write that does not fit the model is refused with the entity and property and changes
 * nothing; reads answer in the change events' shape; a wrong or missing key is refused.
 */
class BackendApiTest {

  private static final String KEY = "backend-key-0123456789abcdef";
  private static final String DATASET = "shop";
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  final RunningServer server =
      new RunningServer()
          .withBackendApi(
              new Admission(Authenticator.apiKeys(Map.of("billing", KEY)), Permissions.DEFAULTS));

  private SyncClient client;

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aBackendWriteReachesClientsOnceEvenWhenRetried() throws Exception {
    client = connected();
    String write =
        """
        {"changes": [{"op": "create", "entity": "Task", "id": 1,
                      "values": {"text": "from the backend", "priority": 3}}]}
        """;

    HttpResponse<String> first = post("/v1/datasets/shop/changesets", write, "order-17", KEY);
    HttpResponse<String> retried = post("/v1/datasets/shop/changesets", write, "order-17", KEY);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    JsonNode answer = JSON.readTree(first.body());
    long version = answer.get("version").asLong();
    assertThat(answer.get("repeated").asBoolean()).isFalse();
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retried.body()).get("version").asLong()).isEqualTo(version);
    assertThat(JSON.readTree(retried.body()).get("repeated").asBoolean()).isTrue();
    assertThat(server.syncServer().store().head(DATASET)).isEqualTo(version);

    await().atMost(PATIENCE).until(() -> client.get(new ObjectKey("Task", 1)).isPresent());
    assertThat(client.get(new ObjectKey("Task", 1)).orElseThrow())
        .containsEntry("text", Value.of("from the backend"))
        .containsEntry("priority", Value.of(3));
    assertThat(client.errors()).isEmpty();
  }

  @Test
  void aBackendWriteIsTransformedAgainstAConcurrentClientChange() throws Exception {
    client = connected();
    client.write(
        tx ->
            tx.create("Task", 2)
                .set("Task", 2, "checklist", new Value.Vector(List.of(Value.of("milk")))));
    assertThat(client.awaitSynced(PATIENCE)).isTrue();
    long decidedOn = server.syncServer().store().head(DATASET);

    client.write(tx -> tx.insertAt("Task", 2, "checklist", 0, Value.of("bread")));
    assertThat(client.awaitSynced(PATIENCE)).isTrue();
    // The backend decided on the list as it was before "bread": after "milk" means index 1.
    HttpResponse<String> response =
        post(
            "/v1/datasets/shop/changesets",
            "{\"baseVersion\": "
                + decidedOn
                + ", \"changes\": [{\"op\": \"listInsert\", \"entity\": \"Task\", \"id\": 2,"
                + " \"property\": \"checklist\", \"index\": 1, \"value\": \"eggs\"}]}",
            null,
            KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

    Value expected =
        new Value.Vector(List.of(Value.of("bread"), Value.of("milk"), Value.of("eggs")));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(client.get(new ObjectKey("Task", 2)).orElseThrow())
                    .containsEntry("checklist", expected));
    assertThat(server.syncServer().store().objects(DATASET).get(new ObjectKey("Task", 2)))
        .containsEntry("checklist", expected);
  }

  @Test
  void aWriteThatDoesNotFitTheModelIsRefusedAndChangesNothing() throws Exception {
    long head = server.syncServer().store().head(DATASET);

    HttpResponse<String> wrongType =
        post(
            "/v1/datasets/shop/changesets",
            "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": 3},"
                + " {\"op\": \"update\", \"entity\": \"Task\", \"id\": 3,"
                + " \"values\": {\"priority\": \"high\"}}]}",
            null,
            KEY);
    HttpResponse<String> notJson = post("/v1/datasets/shop/changesets", "{", null, KEY);
    HttpResponse<String> badDataset = post("/v1/datasets/%2Fetc/changesets", "{}", null, KEY);

    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(wrongType.body()).get("message").asText())
        .isEqualTo("changes[1]: Task.priority must be an integer, not \"high\"");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notJson.body()).get("error").asText()).isEqualTo("bad_json");
    assertThat(badDataset.statusCode()).isEqualTo(400);
    assertThat(server.syncServer().store().head(DATASET)).isEqualTo(head);
  }

  @Test
  void onlyAKnownKeyGetsIn() throws Exception {
    String write = "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": 4}]}";

    HttpResponse<String> none = post("/v1/datasets/shop/changesets", write, null, null);
    HttpResponse<String> wrong =
        post("/v1/datasets/shop/changesets", write, null, "not-the-key-0123456789abcdef");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(get("/v1/datasets/shop/objects/Task/4", "nope").statusCode()).isEqualTo(401);
    assertThat(server.syncServer().store().head(DATASET)).isZero();
  }

  @Test
  void readsAnswerInTheShapeOfTheChangeEvents() throws Exception {
    for (int id = 1; id <= 3; id++) {
      assertThat(
              post(
                      "/v1/datasets/shop/changesets",
                      "{\"changes\": [{\"op\": \"create\", \"entity\": \"Task\", \"id\": "
                          + id
                          + ", \"values\": {\"text\": \"t"
                          + id
                          + "\", \"checklist\": [\"a\"]}}]}",
                      null,
                      KEY)
                  .statusCode())
          .isEqualTo(201);
    }

    HttpResponse<String> one = get("/v1/datasets/shop/objects/Task/2", KEY);
    HttpResponse<String> page = get("/v1/datasets/shop/objects/Task?limit=2", KEY);
    HttpResponse<String> missing = get("/v1/datasets/shop/objects/Task/99", KEY);

    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    JsonNode object = JSON.readTree(one.body());
    assertThat(object.get("version").asLong()).isEqualTo(3);
    assertThat(object.get("after").get("id").asLong()).isEqualTo(2);
    assertThat(object.get("after").get("text").asText()).isEqualTo("t2");
    assertThat(object.get("after").get("checklist").get(0).asText()).isEqualTo("a");
    assertThat(object.get("after").has("done")).as("every property, null when unset").isTrue();
    JsonNode first = JSON.readTree(page.body());
    assertThat(first.get("objects")).hasSize(2);
    assertThat(first.get("next").asLong()).isEqualTo(2);
    JsonNode second =
        JSON.readTree(get("/v1/datasets/shop/objects/Task?limit=2&after=2", KEY).body());
    assertThat(second.get("objects")).hasSize(1);
    assertThat(second.get("objects").get(0).get("text").asText()).isEqualTo("t3");
    assertThat(second.get("next").isNull()).isTrue();
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void commandsOnTheTopicAreWrittenOnceAndAnswered() throws Exception {
    client = connected();
    var producerSettings =
        io.tributary.kafka.KafkaSettings.producer(server.syncServer().kafkaBootstrap(), "test");
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(producerSettings)) {
      String create =
          "{\"dataset\": \"shop\", \"changes\": [{\"op\": \"create\", \"entity\": \"Task\","
              + " \"id\": 5, \"values\": {\"text\": \"from Kafka\"}}]}";
      String keyed =
          "{\"dataset\": \"shop\", \"idempotencyKey\": \"k-1\", \"changes\": [{\"op\": \"add\","
              + " \"entity\": \"Task\", \"id\": 5, \"property\": \"priority\", \"delta\": 1}]}";
      for (String[] command :
          new String[][] {
            {"c-1", create}, {"c-2", keyed}, {"c-3", keyed}, {"c-4", "{\"changes\": []}"}
          }) {
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                server.topics().commands(), 0, command[0], command[1].getBytes()));
      }
    }

    Map<String, JsonNode> results = new java.util.TreeMap<>();
    var consumerSettings =
        io.tributary.kafka.KafkaSettings.consumer(
            server.syncServer().kafkaBootstrap(), "test", null);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(consumerSettings)) {
      var partitions =
          consumer.partitionsFor(server.topics().commandResults()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                  results.put(record.key(), JSON.readTree(record.value()));
                }
                return results.size() == 4;
              });
    }

    assertThat(results.get("c-1").get("status").asInt()).isEqualTo(201);
    assertThat(results.get("c-2").get("status").asInt()).isEqualTo(201);
    assertThat(results.get("c-3").get("status").asInt()).as("the same key again").isEqualTo(200);
    assertThat(results.get("c-3").get("version").asLong())
        .isEqualTo(results.get("c-2").get("version").asLong());
    assertThat(results.get("c-4").get("status").asInt()).isEqualTo(400);
    assertThat(results.get("c-4").get("offset").asLong()).isEqualTo(3);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(client.get(new ObjectKey("Task", 5)).orElseThrow())
                    .containsEntry("text", Value.of("from Kafka"))
                    .containsEntry("priority", Value.of(1)));
  }

  private SyncClient connected() {
    SyncClient connected = new SyncClient(URI.create("ws://127.0.0.1:" + server.port()), DATASET);
    connected.connect().join();
    await().atMost(PATIENCE).until(() -> connected.clientIdent() != 0);
    return connected;
  }

  private HttpResponse<String> post(String path, String body, String idempotencyKey, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.backendApiPort() + path))
            .timeout(PATIENCE)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.backendApiPort() + path))
            .timeout(PATIENCE)
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

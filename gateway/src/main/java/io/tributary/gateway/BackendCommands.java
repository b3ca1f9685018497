package io.tributary.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.RoleThread;
import io.tributary.kafka.Topics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend API for backends that speak Kafka: each record of {@code <prefix>.commands} is a
 * write in the JSON of the HTTP API with its {@code "dataset"} (and, optionally, its {@code
 * "idempotencyKey"}), and its outcome goes to {@code <prefix>.command-results} under the command's
 * key. The gateways share the commands as one consumer group. A command's offset is committed once
 * its result is written; one without a key of its own is keyed by its topic, partition and offset,
 * so that a command read again after a failure still applies once.
 *
 * <p>Whoever may write the topic may write every dataset: guard it with Kafka's ACLs.
 */
final class BackendCommands implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackendCommands.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final Topics topics;
  private final String name;
  private final BackendWrites writes;
  private final Context context;
  private final RoleThread loop;

  BackendCommands(Vertx vertx, String bootstrap, Topics topics, String name, BackendWrites writes) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.name = name;
    this.writes = writes;
    this.context = vertx.getOrCreateContext();
    this.loop = new RoleThread(name, LOG, "reading the commands again", this::consume);
  }

  BackendCommands start() {
    loop.start();
    return this;
  }

  private void consume() throws InterruptedException {
    try (KafkaConsumer<String, byte[]> commands = new KafkaConsumer<>(consumerSettings());
        Producer<String, byte[]> results =
            new KafkaProducer<>(KafkaSettings.batchProducer(bootstrap, name))) {
      loop.wakeOnClose(commands);
      commands.subscribe(List.of(topics.commands()));
      while (loop.running()) {
        ConsumerRecords<String, byte[]> records = commands.poll(KafkaSettings.IDLE_POLL);
        if (records.isEmpty()) {
          continue;
        }
        // Every command of the poll is written at once; their results follow in their order.
        List<CompletableFuture<JsonObject>> outcomes = new ArrayList<>();
        records.forEach(record -> outcomes.add(outcome(record)));
        int i = 0;
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
            new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          JsonObject result = await(outcomes.get(i++));
          sent.add(
              results.send(
                  new ProducerRecord<>(
                      topics.commandResults(),
                      record.key(),
                      result
                          .put("topic", record.topic())
                          .put("partition", record.partition())
                          .put("offset", record.offset())
                          .encode()
                          .getBytes(StandardCharsets.UTF_8))));
        }
        results.flush();
        for (var result : sent) {
          try {
            result.get();
          } catch (ExecutionException e) {
            // Not committed: the commands are read again, and their keys apply them once.
            throw new IllegalStateException(
                "cannot write command results: " + e.getCause().getMessage(), e.getCause());
          }
        }
        commands.commitSync();
      }
    }
  }

  /** A command's outcome, its HTTP status under {@code "status"}. */
  private CompletableFuture<JsonObject> outcome(ConsumerRecord<String, byte[]> record) {
    JsonNode command;
    try {
      command = record.value() == null ? null : JSON.readTree(record.value());
    } catch (IOException e) {
      command = null;
    }
    if (command == null || !command.isObject() || !command.path("dataset").isTextual()) {
      return CompletableFuture.completedFuture(
          result(
              BackendWrites.Outcome.error(
                  400,
                  "bad_command",
                  "a command is a JSON object with \"dataset\" and \"changes\""),
              null));
    }
    String dataset = command.get("dataset").asText();
    String key =
        command.path("idempotencyKey").isTextual()
            ? command.get("idempotencyKey").asText()
            : "command-" + record.topic() + "-" + record.partition() + "-" + record.offset();
    CompletableFuture<JsonObject> outcome = new CompletableFuture<>();
    context.runOnContext(
        ignored ->
            writes
                .write(dataset, "kafka", key, record.value())
                .onComplete(
                    done ->
                        outcome.complete(
                            done.succeeded()
                                ? result(done.result(), dataset)
                                : result(
                                    BackendWrites.Outcome.error(
                                        500, "failed", String.valueOf(done.cause())),
                                    dataset))));
    return outcome;
  }

  private static JsonObject result(BackendWrites.Outcome outcome, String dataset) {
    JsonObject result = outcome.body().copy().put("status", outcome.status());
    if (dataset != null && !result.containsKey("dataset")) {
      result.put("dataset", dataset);
    }
    return result;
  }

  private static JsonObject await(CompletableFuture<JsonObject> outcome)
      throws InterruptedException {
    try {
      return outcome.get();
    } catch (ExecutionException e) {
      return new JsonObject().put("status", 500).put("error", "failed");
    }
  }

  private Properties consumerSettings() {
    Properties settings = KafkaSettings.consumer(bootstrap, name, topics.prefix() + "-commands");
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    settings.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return settings;
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
  }
}

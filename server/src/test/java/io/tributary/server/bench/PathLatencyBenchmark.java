package io.tributary.server.bench;

import io.tributary.client.SyncClient;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Value;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.server.Main;
import io.tributary.server.SyncServer;
import io.tributary.testkit.Fixtures;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Write on one client → arrival at another, through gateway, uploads, sequencer, history,
 * materializer, downloads and gateway again; next to a bare Kafka produce→consume hop on the same
 * broker in the same run. Run:
 *
 * <pre>
 * bench/latency.sh 200 30
 * </pre>
 *
 * Arguments: changes per second, seconds measured (after 5 s of warm-up).
 */
public final class PathLatencyBenchmark {

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path data = Files.createTempDirectory("tributary-bench-");
    long started = System.nanoTime();
    try (SyncServer server =
        SyncServer.start(
            new SyncServer.Options(
                data,
                Main.loadModel(Fixtures.exampleModel()),
                "127.0.0.1",
                0,
                null,
                Topics.defaults()))) {
      System.out.printf(
          "Server (embedded broker) ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      long cpu = cpuNanos();
      Percentiles hop = bareKafka(server.kafkaBootstrap(), rate, seconds);
      System.out.println("Bare Kafka hop:  " + hop.summary() + perChange(cpu, rate, seconds));
      cpu = cpuNanos();
      Percentiles path = tributary(server.port(), rate, seconds);
      System.out.println("Tributary path:  " + path.summary() + perChange(cpu, rate, seconds));
    }
    System.exit(0);
  }

  /** CPU time of this process (broker, roles and clients alike) so far. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The process's CPU per change since {@code since}, warm-up included. */
  static String perChange(long since, int rate, int seconds) {
    return String.format(
        " cpu=%.0f us/change", (cpuNanos() - since) / 1000.0 / (rate * (seconds + 5)));
  }

  /** One produce→consume hop (acks=all, no linger), same settings as the roles use. */
  static Percentiles bareKafka(String bootstrap, int rate, int seconds) throws Exception {
    Topics topics = new Topics("bench-" + System.nanoTime(), 1, (short) 1);
    SyncServer.createTopics(bootstrap, topics);
    TopicPartition partition = new TopicPartition(topics.uploads(), 0);
    int total = rate * (seconds + 5);
    long[] samples = new long[rate * seconds];
    CountDownLatch done = new CountDownLatch(1);
    Thread consumer =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> kafka =
                  new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "bench-consumer", null))) {
                kafka.assign(List.of(partition));
                kafka.seekToBeginning(List.of(partition));
                int received = 0;
                while (received < total) {
                  for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(100))) {
                    long sent = Long.parseLong(new String(record.value()));
                    int index = received++ - rate * 5;
                    if (index >= 0) {
                      samples[index] = System.nanoTime() - sent;
                    }
                  }
                }
              }
              done.countDown();
            });
    consumer.start();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(KafkaSettings.producer(bootstrap, "bench-producer"))) {
      paced(
          rate,
          total,
          i ->
              producer.send(
                  new ProducerRecord<>(
                      partition.topic(), 0, "k", Long.toString(System.nanoTime()).getBytes())));
    }
    done.await(60, TimeUnit.SECONDS);
    return new Percentiles(samples);
  }

  static Percentiles tributary(int port, int rate, int seconds) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + port);
    String dataset = "bench-" + System.nanoTime();
    int total = rate * (seconds + 5);
    long[] samples = new long[rate * seconds];
    ConcurrentMap<Long, Long> sentAt = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(total);
    try (SyncClient writer = new SyncClient(uri, dataset);
        SyncClient reader = new SyncClient(uri, dataset)) {
      reader.onRemoteChange(
          changeset -> {
            long now = System.nanoTime();
            for (Instruction instruction : changeset.instructions()) {
              if (instruction instanceof Instruction.Update update
                  && update.property().equals("priority")) {
                long sequence = ((Value.Int) update.value()).value();
                int index = (int) sequence - rate * 5;
                if (index >= 0) {
                  samples[index] = now - sentAt.get(sequence);
                }
                done.countDown();
              }
            }
          });
      writer.connect().join();
      reader.connect().join();
      awaitIdent(writer);
      awaitIdent(reader);
      paced(
          rate,
          total,
          i -> {
            sentAt.put((long) i, System.nanoTime());
            long id = 1 + i % 1000;
            writer.write(
                tx -> tx.create("Task", id).set("Task", id, "priority", Value.of((long) i)));
          });
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException(done.getCount() + " changes never arrived");
      }
    }
    return new Percentiles(samples);
  }

  private static void awaitIdent(SyncClient client) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.clientIdent() == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Calls {@code action} {@code total} times at {@code rate} per second. */
  private static void paced(int rate, int total, java.util.function.IntConsumer action) {
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < total; i++) {
      action.accept(i);
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }
}

package io.tributary.sequencer;

import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.testkit.TestKafka;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The Kafka clients of one sequencer, on the test broker, for its partition owners. */
final class TestSequencers implements AutoCloseable {

  private final String name = "test-sequencer-" + UUID.randomUUID().toString().substring(0, 8);
  private final SequencerConfig config;
  private final SequencerClients clients;
  private final SequencerMetrics metrics = new SequencerMetrics(name);

  TestSequencers(Topics topics) {
    this(SequencerConfig.defaults(TestKafka.bootstrap()).withTopics(topics));
  }

  TestSequencers(SequencerConfig config) {
    this.config = config;
    String bootstrap = config.bootstrap();
    clients =
        new SequencerClients(
            new KafkaProducer<>(KafkaSettings.producer(bootstrap, name)),
            new KafkaConsumer<>(SequencerService.readerSettings(bootstrap, name + "-replay")),
            new KafkaConsumer<>(SequencerService.readerSettings(bootstrap, name + "-checkpoints")),
            new KafkaConsumer<>(SequencerService.readerSettings(bootstrap, name + "-window")));
  }

  /** A new owner of {@code partition}, not taken over yet. */
  PartitionSequencer owner(int partition) {
    return new PartitionSequencer(partition, clients, config, metrics);
  }

  @Override
  public void close() {
    clients.producer().close();
    clients.replay().close();
    clients.checkpoints().close();
    clients.window().close();
    metrics.close();
  }
}

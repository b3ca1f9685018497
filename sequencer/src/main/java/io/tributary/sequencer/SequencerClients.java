package io.tributary.sequencer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients a sequencer's partitions share, all used from its one thread.
 *
 * @param producer writes history records, markers and checkpoints
 * @param replay reads a history partition on a takeover
 * @param checkpoints reads the checkpoints topic
 * @param window reads the entries a restored window needs, by offset
 */
record SequencerClients(
    Producer<String, byte[]> producer,
    Consumer<String, byte[]> replay,
    Consumer<String, byte[]> checkpoints,
    Consumer<String, byte[]> window) {}

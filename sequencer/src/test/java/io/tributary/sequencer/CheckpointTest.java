package io.tributary.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.KafkaSettings;
import io.tributary.kafka.Topics;
import io.tributary.schemas.CheckpointHeader;
import io.tributary.schemas.UploadRecord;
import io.tributary.schemas.codec.CheckpointCodec;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.HistoryLog;
import io.tributary.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints on a real broker: a takeover from a checkpoint and the history after it must come to
 * exactly the state a replay of all history comes to, and a replaced owner must not checkpoint what
 * its successor's marker fenced out.
 */
class CheckpointTest {

  private static final ReplyTo REPLY = new ReplyTo("test", 1, 1);
  private static final List<String> DATASETS = List.of("alpha", "beta", "gamma");

  @Test
  void aTakeoverFromACheckpointComesToTheStateOfAFullReplay() throws Exception {
    long seed = System.nanoTime();
    System.out.println("CheckpointTest seed=" + seed);
    Random random = new Random(seed);
    Topics topics = TestKafka.freshTopics(1);
    SequencerConfig config =
        SequencerConfig.defaults(TestKafka.bootstrap()).withTopics(topics).withCheckpointEvery(40);
    try (TestSequencers first = new TestSequencers(config);
        TestSequencers second = new TestSequencers(config);
        TestSequencers third = new TestSequencers(config)) {
      PartitionSequencer writer = first.owner(0);
      writer.takeOver(true);
      new Workload(random, writer).run(300);
      assertThat(headers(topics)).as("seed %d: checkpoints written", seed).hasSizeGreaterThan(2);

      PartitionSequencer fromCheckpoint = second.owner(0);
      fromCheckpoint.takeOver(true);
      PartitionSequencer fromEverything = third.owner(0);
      fromEverything.takeOver(false);

      assertThat(fromCheckpoint.restoredFrom())
          .as("seed %d: restored from a checkpoint", seed)
          .isPositive();
      assertThat(fromCheckpoint.datasetStates())
          .as("seed %d", seed)
          .isEqualTo(fromEverything.datasetStates())
          .isEqualTo(writer.datasetStates());
    }
  }

  @Test
  void aReplacedOwnerWritesNoCheckpointAfterItsSuccessorAnnouncedItself() throws Exception {
    Topics topics = TestKafka.freshTopics(1);
    SequencerConfig config =
        SequencerConfig.defaults(TestKafka.bootstrap()).withTopics(topics).withCheckpointEvery(1);
    try (TestSequencers a = new TestSequencers(config);
        TestSequencers b = new TestSequencers(config)) {
      PartitionSequencer replaced = a.owner(0);
      replaced.takeOver(true);
      Workload workload = new Workload(new Random(1), replaced);
      workload.run(10);
      int before = headers(topics).size();

      PartitionSequencer successor = b.owner(0);
      successor.takeOver(true);
      int afterTakeover = headers(topics).size();
      workload.run(10); // The replaced owner still believes it owns the partition.

      assertThat(before).isPositive();
      assertThat(headers(topics)).hasSize(afterTakeover);
      // What the zombie wrote after the successor's marker is in no checkpoint's state.
      PartitionSequencer check = b.owner(0);
      check.takeOver(true);
      assertThat(check.restoredFrom()).isPositive();
      assertThat(check.datasetStates()).isEqualTo(successor.datasetStates());
    }
  }

  /** Clients writing to a few datasets, each on a base that lags behind the head at random. */
  private static final class Workload {
    private final Random random;
    private final PartitionSequencer owner;
    private final Map<String, List<long[]>> clients = new HashMap<>(); // ident, version, base
    private final Map<String, Long> heads = new HashMap<>();

    Workload(Random random, PartitionSequencer owner) {
      this.random = random;
      this.owner = owner;
    }

    void run(int uploads) throws Exception {
      for (int i = 0; i < uploads; i++) {
        String dataset = DATASETS.get(random.nextInt(DATASETS.size()));
        List<long[]> ofDataset = clients.computeIfAbsent(dataset, d -> new ArrayList<>());
        if (ofDataset.size() < 3 || random.nextInt(30) == 0) {
          ofDataset.add(new long[] {allocate(dataset), 0, 0});
          continue;
        }
        long[] client = ofDataset.get(random.nextInt(ofDataset.size()));
        long head = heads.getOrDefault(dataset, 0L);
        client[2] = client[2] + (long) (random.nextDouble() * (head - client[2] + 1));
        client[1]++;
        ObjectKey object = new ObjectKey("Task", 1 + random.nextInt(4));
        Instruction instruction =
            random.nextBoolean()
                ? new Instruction.Update(object, "title", Value.of("t" + random.nextInt(100)), 0)
                : new Instruction.ArrayInsert(
                    object, "tags", random.nextInt(2), Value.of("g" + random.nextInt(100)));
        Changeset changeset =
            new Changeset(
                client[1],
                client[2],
                1_000 + i + random.nextInt(5),
                client[0],
                List.of(instruction));
        send(
            RecordCodec.upload(
                dataset, REPLY, new UploadRequest.UploadChangesets(client[0], List.of(changeset))));
        heads.merge(dataset, 1L, Long::sum);
      }
    }

    private long allocate(String dataset) throws Exception {
      List<Future<RecordMetadata>> sends =
          owner.handle(RecordCodec.upload(dataset, REPLY, new UploadRequest.AllocateIdent()));
      long offset = sends.get(0).get().offset();
      owner.acknowledged();
      return HistoryLog.read(
              TestKafka.bootstrap(), new TopicPartition(sends.get(0).get().topic(), 0))
          .stream()
          .filter(r -> r.offset() == offset)
          .map(r -> ((IdentAllocated) RecordCodec.event(r.record())).ident())
          .findFirst()
          .orElseThrow();
    }

    private void send(UploadRecord upload) throws Exception {
      for (Future<RecordMetadata> sent : owner.handle(upload)) {
        sent.get();
      }
      owner.acknowledged();
    }
  }

  /** The checkpoint headers written so far, oldest first. */
  private static List<CheckpointHeader> headers(Topics topics) throws Exception {
    TopicPartition partition = new TopicPartition(topics.checkpoints(), 0);
    List<CheckpointHeader> headers = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(TestKafka.bootstrap(), "headers", null))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if ("header".equals(record.key())) {
            headers.add(CheckpointCodec.decodeHeader(record.value()));
          }
        }
      }
    }
    return headers;
  }
}

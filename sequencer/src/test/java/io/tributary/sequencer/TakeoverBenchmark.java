package io.tributary.sequencer;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.Topics;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.SyntheticHistory;
import io.tributary.testkit.TestKafka;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What taking over a history partition costs, against reading it bare and replaying it all: {@code
 * bench/takeover.sh [entries] [datasets] [tail]}. One partition holds {@code entries} integrated
 * changesets over {@code datasets} datasets; a first owner replays it all and writes a checkpoint,
 * then integrates {@code tail} more uploads without one (the most a checkpoint can lag by default);
 * a second owner takes over from the checkpoint and the tail.
 */
public final class TakeoverBenchmark {

  private static final ReplyTo REPLY = new ReplyTo("bench", 1, 1);

  public static void main(String[] args) throws Exception {
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
    int datasets = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int tail = args.length > 2 ? Integer.parseInt(args[2]) : 49_999;
    Topics topics = TestKafka.freshTopics(1);
    TopicPartition history = new TopicPartition(topics.history(), 0);

    long started = System.nanoTime();
    write(topics, entries, datasets);
    report("wrote %,d history records over %d datasets", started, entries, datasets);

    started = System.nanoTime();
    long read = SyntheticHistory.readBare(TestKafka.bootstrap(), history);
    report("bare Kafka: read %,d records (no decoding)", started, read);

    SequencerConfig config = SequencerConfig.defaults(TestKafka.bootstrap()).withTopics(topics);
    // The first owner checkpoints after its replay, not in the tail; the second not at all, so
    // that its time is the takeover's alone.
    try (TestSequencers first = new TestSequencers(config.withCheckpointEvery(tail + 1));
        TestSequencers second = new TestSequencers(config.withCheckpointEvery(Long.MAX_VALUE))) {
      PartitionSequencer replayed = first.owner(0);
      started = System.nanoTime();
      replayed.takeOver(false); // Replays all, then writes a checkpoint: see the log.
      report("full replay and a checkpoint (no checkpoint read)", started);

      started = System.nanoTime();
      integrate(replayed, tail, datasets);
      report("integrated a tail of %,d uploads", started, tail);

      PartitionSequencer successor = second.owner(0);
      started = System.nanoTime();
      successor.takeOver(true);
      report("takeover from the checkpoint and the tail of %,d", started, tail);

      started = System.nanoTime();
      integrate(successor, 1_000, datasets);
      report("the successor's first 1,000 uploads (its windows read from the log)", started);
    }
    System.exit(0);
  }

  /** An ident per dataset, then integrated changesets in turn over the datasets. */
  private static void write(Topics topics, long entries, int datasets) {
    try (SyntheticHistory history =
        new SyntheticHistory(TestKafka.bootstrap(), new TopicPartition(topics.history(), 0))) {
      for (int d = 0; d < datasets; d++) {
        history.append("d" + d, new HistoryEvent.IdentAllocated(1, 42, REPLY));
      }
      long[] heads = new long[datasets];
      for (long i = 0; i < entries; i++) {
        int d = (int) (i % datasets);
        long version = ++heads[d];
        Changeset changeset =
            new Changeset(version, version - 1, 1_000 + i, 1, List.of(update(version)));
        history.append("d" + d, new HistoryEvent.Integrated(version, changeset));
      }
    }
  }

  private static Instruction update(long version) {
    return new Instruction.Update(
        new ObjectKey("Task", version % 1_000), "title", Value.of("title " + version), 0);
  }

  /** {@code uploads} more changesets from client 1, each on the head of its dataset. */
  private static void integrate(PartitionSequencer owner, int uploads, int datasets)
      throws Exception {
    java.util.Map<Integer, Long> heads = new java.util.HashMap<>();
    for (int i = 0; i < uploads; i++) {
      int d = i % datasets;
      long head = heads.computeIfAbsent(d, k -> owner.datasetHead("d" + k));
      Changeset changeset =
          new Changeset(head + 1, head, 2_000_000_000L + i, 1, List.of(update(head + 1)));
      List<Future<RecordMetadata>> sent =
          owner.handle(
              RecordCodec.upload(
                  "d" + d, REPLY, new UploadRequest.UploadChangesets(1, List.of(changeset))));
      if (sent.size() != 1) {
        throw new IllegalStateException("upload " + i + " was not integrated");
      }
      heads.put(d, head + 1);
      if (i % 500 == 499 || i == uploads - 1) {
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
        owner.acknowledged();
      }
    }
  }

  private static void report(String what, long startedNanos, Object... args) {
    System.out.printf(
        "%-70s %,10d ms%n", what.formatted(args), (System.nanoTime() - startedNanos) / 1_000_000);
  }
}

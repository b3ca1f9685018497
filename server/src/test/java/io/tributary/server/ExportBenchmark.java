package io.tributary.server;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.state.DatasetAtVersion;
import io.tributary.kafka.Topics;
import io.tributary.materializer.HistoryExport;
import io.tributary.testkit.SyntheticHistory;
import io.tributary.testkit.TestKafka;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Time travel from history: {@code bench/export.sh [changesets]}. One dataset with {@code
 * changesets} integrated changesets (creates and updates over 100,000 objects) in a partition it
 * shares with as many changesets of other datasets; its state at the last version and at half of it
 * is rebuilt from history alone ({@link HistoryExport}), against a bare read of the partition.
 */
public final class ExportBenchmark {

  public static void main(String[] args) throws Exception {
    long changesets = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Topics topics = TestKafka.freshTopics(1);
    long started = System.nanoTime();
    write(topics, changesets);
    report(
        "wrote %,d changesets of the dataset and %,d of others", started, changesets, changesets);

    started = System.nanoTime();
    long read =
        SyntheticHistory.readBare(TestKafka.bootstrap(), new TopicPartition(topics.history(), 0));
    report("bare Kafka: read %,d records (no decoding)", started, read);

    for (long version : new long[] {changesets, changesets / 2}) {
      started = System.nanoTime();
      DatasetAtVersion state = HistoryExport.read(TestKafka.bootstrap(), topics, "big", version);
      long nanos = System.nanoTime() - started;
      report(
          "the dataset at version %,d from history (%,d objects): %,d changesets/s",
          started, state.head(), state.objects().size(), state.head() * 1_000_000_000L / nanos);
    }
    System.exit(0);
  }

  private static void write(Topics topics, long changesets) {
    try (SyntheticHistory history =
        new SyntheticHistory(TestKafka.bootstrap(), new TopicPartition(topics.history(), 0))) {
      ReplyTo reply = new ReplyTo("bench", 1, 1);
      for (String dataset : List.of("big", "other")) {
        history.append(dataset, new HistoryEvent.IdentAllocated(1, 7, reply));
      }
      for (long version = 1; version <= changesets; version++) {
        for (String dataset : List.of("big", "other")) {
          ObjectKey object = new ObjectKey("Task", version % 100_000);
          Instruction instruction =
              version <= 100_000
                  ? new Instruction.CreateObject(object)
                  : new Instruction.Update(object, "text", Value.of("v" + version), 0);
          Changeset changeset =
              new Changeset(version, version - 1, version, 1, List.of(instruction));
          history.append(dataset, new HistoryEvent.Integrated(version, changeset));
        }
      }
    }
  }

  private static void report(String what, long startedNanos, Object... args) {
    System.out.printf(
        "%-90s %,8d ms%n", what.formatted(args), (System.nanoTime() - startedNanos) / 1_000_000);
  }
}

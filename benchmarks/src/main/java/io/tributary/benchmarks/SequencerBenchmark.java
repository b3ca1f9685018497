package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the sequencer spends on one small upload (three instructions on one of 10,000 objects) from
 * a client that has not seen the last {@code unseen} history entries: finding the entries that
 * touch its object, transforming against them, integrating.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SequencerBenchmark {

  private static final ReplyTo REPLY = new ReplyTo("bench", 1, 1);

  @Param({"10", "1000", "100000"})
  int unseen;

  private DatasetSequencer sequencer;
  private long uploader;
  private long clientVersion;
  private final Random random = new Random(4);

  @Setup(Level.Iteration)
  public void setUp() {
    sequencer = new DatasetSequencer(unseen + 1_000_000);
    long writer = allocate();
    uploader = allocate();
    clientVersion = 0;
    List<Changeset> history =
        Workloads.changesets(3, writer, unseen * Workloads.INSTRUCTIONS_PER_CHANGESET, 10_000);
    long version = 0;
    for (Changeset changeset : history) {
      sequencer.handle(
          REPLY,
          new UploadRequest.UploadChangesets(writer, List.of(changeset.withBaseVersion(version++))),
          () -> 1);
    }
  }

  private long allocate() {
    return ((HistoryEvent.IdentAllocated)
            sequencer.handle(REPLY, new UploadRequest.AllocateIdent(), () -> 1).get(0))
        .ident();
  }

  @Benchmark
  public List<HistoryEvent> integrateOneUpload() {
    ObjectKey key = new ObjectKey("Task", 1 + random.nextInt(10_000));
    Changeset changeset =
        new Changeset(
            ++clientVersion,
            0, // Made before everything in the window: all of it is unseen.
            5_000_000 + clientVersion,
            uploader,
            List.of(
                new Instruction.Update(key, "p0", Value.of(1L)),
                new Instruction.Update(key, "p1", Value.of(2L)),
                new Instruction.AddInteger(key, "count", 1)));
    return sequencer.handle(
        REPLY, new UploadRequest.UploadChangesets(uploader, List.of(changeset)), () -> 1);
  }
}

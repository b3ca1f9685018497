package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two clients' offline work merged by the sequencer: the first client's {@code size} instructions
 * are integrated, then the second's, each of its changesets transformed against the entries since
 * their common base that touch its objects. One operation merges {@code 2 × size} instructions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MergeBenchmark {

  private static final ReplyTo REPLY = new ReplyTo("bench", 1, 1);

  @Param({"1000", "10000"})
  int size;

  private List<Changeset> first;
  private List<Changeset> second;

  @Setup
  public void setUp() {
    first = Workloads.changesets(1, 1, size, size);
    second = Workloads.changesets(2, 2, size, size);
  }

  @Benchmark
  public long merge() {
    DatasetSequencer sequencer = new DatasetSequencer(1_000_000);
    sequencer.handle(REPLY, new UploadRequest.AllocateIdent(), () -> 1);
    sequencer.handle(REPLY, new UploadRequest.AllocateIdent(), () -> 1);
    List<HistoryEvent> a =
        sequencer.handle(REPLY, new UploadRequest.UploadChangesets(1, first), () -> 1);
    List<HistoryEvent> b =
        sequencer.handle(REPLY, new UploadRequest.UploadChangesets(2, second), () -> 1);
    return a.size() + b.size() + sequencer.head();
  }
}

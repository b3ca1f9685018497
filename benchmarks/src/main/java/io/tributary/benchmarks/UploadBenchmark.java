package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.transform.Transformer;
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
 * The sequencer's transform of one small upload (one changeset of three instructions) from a client
 * that has not seen the last {@code unseen} history entries (of ten instructions each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UploadBenchmark {

  @Param({"10", "1000", "100000"})
  int unseen;

  private List<Changeset> history;
  private Changeset upload;

  @Setup
  public void setUp() {
    history = Workloads.changesets(3, 1, unseen * Workloads.INSTRUCTIONS_PER_CHANGESET, 10_000);
    ObjectKey key = new ObjectKey("Task", 7);
    upload =
        new Changeset(
            1,
            0,
            5_000_000,
            2,
            List.of(
                new Instruction.Update(key, "p0", Value.of(1L)),
                new Instruction.Update(key, "p1", Value.of(2L)),
                new Instruction.AddInteger(key, "count", 1)));
  }

  @Benchmark
  public Changeset transformOneUpload() {
    return Transformer.transform(upload, history);
  }
}

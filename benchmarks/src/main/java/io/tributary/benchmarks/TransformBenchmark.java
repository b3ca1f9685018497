package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.transform.Transformer;
import java.util.ArrayList;
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
 * Merging two clients' offline work as the server does: every changeset of the second client is
 * transformed against everything integrated since their common base (the first client's work and
 * its own earlier changesets). One operation merges {@code 2 × size} instructions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransformBenchmark {

  @Param({"1000", "10000"})
  int size;

  private List<Changeset> first;
  private List<Changeset> second;

  @Setup
  public void setUp() {
    int objects = size; // As many objects as instructions: about one in ten meets another.
    first = Workloads.changesets(1, 1, size, objects);
    second = Workloads.changesets(2, 2, size, objects);
  }

  @Benchmark
  public List<Changeset> merge() {
    List<Changeset> history = new ArrayList<>(first);
    for (Changeset changeset : second) {
      history.add(Transformer.transform(changeset, history));
    }
    return history;
  }
}

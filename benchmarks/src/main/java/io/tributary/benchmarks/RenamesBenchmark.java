package io.tributary.benchmarks;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.model.ModelParser;
import io.tributary.core.model.Renames;
import io.tributary.schemas.ChangesetBody;
import io.tributary.schemas.codec.Bodies;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a rename costs the gateway: translating a changeset of ten instructions to the current
 * names, against encoding it for a DOWNLOAD, which the gateway does for every changeset anyway (the
 * baseline of the same run).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RenamesBenchmark {

  private static final String MODEL =
      """
      {"entities": [{"id": "1:100", "name": "Task", "properties": [
        {"id": "1:101", "name": "id", "type": 6, "flags": 1},
        {"id": "2:102", "name": "p0", "type": 6}, {"id": "3:103", "name": "p1", "type": 6},
        {"id": "4:104", "name": "p2", "type": 6}, {"id": "5:105", "name": "p3", "type": 6},
        {"id": "6:106", "name": "count", "type": 6}, {"id": "7:107", "name": "list", "type": 27}],
       "relations": [{"id": "1:108", "name": "tags", "targetId": "1:100"}]}]}
      """;

  private Changeset stored;
  private Renames renamed;
  private Renames identity;

  @Setup
  public void setUp() {
    stored = Workloads.changesets(7, 1, Workloads.INSTRUCTIONS_PER_CHANGESET, 100).get(0);
    String everythingRenamed =
        MODEL
            .replace("\"Task\"", "\"Todo\"")
            .replaceAll("\"(p[0-3]|count|list|tags)\"", "\"$1Renamed\"");
    renamed =
        Renames.of(
            List.of(ModelParser.parse(MODEL, "v1"), ModelParser.parse(everythingRenamed, "v2")));
    identity = Renames.of(List.of(ModelParser.parse(MODEL, "v1")));
  }

  @Benchmark
  public Changeset translateEveryName() {
    return renamed.toCurrent(stored);
  }

  @Benchmark
  public Changeset translateWithoutRenames() {
    return identity.toCurrent(stored);
  }

  @Benchmark
  public ChangesetBody encodeForDownloadBaseline() {
    return Bodies.encode(stored);
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault harness's short version: one kill -9 of each role and of the broker, one freeze of a
 * sequencer and of a materializer, under 50 writing clients on a cluster of processes. Nothing
 * written may be lost, applied twice or left divergent, and history must stay whole. The full
 * schedule is {@code bench/faults.sh}; {@code -Dfaults.seed=S} replays a run.
 */
class FaultHarnessTest {

  @TempDir Path work;

  @Test
  void nothingIsLostDuplicatedOrDivergentThroughAKillOfEachRoleAndFreezes() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    FaultHarness harness = new FaultHarness(work, System.out, Duration.ofSeconds(12), seed);
    List<FaultHarness.Fault> faults =
        List.of(
            new FaultHarness.Fault("kill -9", "sequencer-1"),
            new FaultHarness.Fault("kill -9", "materializer-1"),
            new FaultHarness.Fault("kill -9", "gateway-1"),
            new FaultHarness.Fault("kill -9", "broker"),
            new FaultHarness.Fault("freeze", "sequencer-2"),
            new FaultHarness.Fault("freeze", "materializer-2"));

    FaultHarness.Report report = harness.run(faults);
    FaultHarness.print(report, System.out);

    assertThat(report.outcomes()).hasSize(faults.size());
    for (FaultHarness.Outcome outcome : report.outcomes()) {
      assertThat(outcome.check().clean())
          .as("after %s: %s", outcome.fault(), outcome.check())
          .isTrue();
    }
    assertThat(report.audit().clean()).as("history: %s", report.audit()).isTrue();
    assertThat(report.audit().accepted())
        .as("history was written")
        .isGreaterThan(FaultHarness.CLIENTS);
    assertThat(report.written()).isGreaterThan(0);
  }
}

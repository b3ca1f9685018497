package io.tributary.core.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpochFenceTest {

  @Test
  void acceptsOnlyRecordsOfTheLastAcceptedMarker() {
    EpochFence fence = new EpochFence();
    assertThat(fence.accepts(0, "none")).isFalse();

    assertThat(fence.acceptMarker(1, "a")).isTrue();
    assertThat(fence.accepts(1, "a")).isTrue();

    assertThat(fence.acceptMarker(2, "b")).isTrue();
    assertThat(fence.accepts(1, "a")).as("the replaced owner is fenced out").isFalse();
    assertThat(fence.accepts(2, "b")).isTrue();
  }

  @Test
  void refusesAMarkerThatIsNotNewer() {
    EpochFence fence = new EpochFence();
    fence.acceptMarker(2, "b");

    assertThat(fence.acceptMarker(2, "c")).as("same epoch, other owner").isFalse();
    assertThat(fence.acceptMarker(1, "a")).as("a zombie's late marker").isFalse();
    assertThat(fence.accepts(2, "c")).isFalse();
    assertThat(fence.accepts(2, "b")).isTrue();
  }

  @Test
  void nextEpochIsAboveEveryMarkerSeenEvenRefusedOnes() {
    EpochFence fence = new EpochFence(3, "x");
    fence.acceptMarker(2, "late");
    assertThat(fence.nextEpoch()).isEqualTo(4);
    fence.acceptMarker(5, "y");
    assertThat(fence.nextEpoch()).isEqualTo(6);
  }
}

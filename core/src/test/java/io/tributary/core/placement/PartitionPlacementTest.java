package io.tributary.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.placement.PartitionPlacement.Member;
import io.tributary.core.placement.PartitionPlacement.Plan;
import io.tributary.core.placement.PartitionPlacement.Share;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

@net.jqwik.api.lifecycle.AddLifecycleHook(io.tributary.core.testing.SeedFromSystemProperty.class)
class PartitionPlacementTest {

  private static final long LAG = 1_000;

  @Property(tries = 500)
  void everyPartitionHasOneCaughtUpActiveAndItsStandbysElsewhere(
      @ForAll @IntRange(min = 1, max = 24) int partitions,
      @ForAll @IntRange(min = 1, max = 6) int memberCount,
      @ForAll @IntRange(min = 0, max = 3) int standbys,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long seed) {
    List<Member> members = randomStores(partitions, memberCount, new Random(seed));
    Plan plan = PartitionPlacement.plan(partitions, members, standbys, LAG);

    for (int p = 0; p < partitions; p++) {
      String owner = plan.owners().get(p);
      int partition = p;
      assertThat(plan.shares().values().stream().filter(s -> s.active().contains(partition)))
          .as("actives of %d", p)
          .hasSize(1);
      assertThat(plan.shares().get(owner).active()).contains(p);
      assertThat(plan.shares().get(owner).standby()).doesNotContain(p);
      assertThat(offset(members, owner, p)).isGreaterThanOrEqualTo(furthest(members, p) - LAG);
      assertThat(plan.shares().values().stream().filter(s -> s.standby().contains(partition)))
          .as("standbys of %d", p)
          .hasSizeGreaterThanOrEqualTo(Math.min(standbys, memberCount - 1));
    }
    for (Share share : plan.shares().values()) {
      assertThat(share.standby()).containsAll(share.warmup());
    }
  }

  @Property(tries = 300)
  void freshStoresShareThePartitionsEvenly(
      @ForAll @IntRange(min = 1, max = 48) int partitions,
      @ForAll @IntRange(min = 1, max = 8) int memberCount) {
    List<Member> members = new ArrayList<>();
    for (int m = 0; m < memberCount; m++) {
      members.add(new Member("m" + m, Map.of()));
    }
    Plan plan = PartitionPlacement.plan(partitions, members, 1, LAG);

    for (Share share : plan.shares().values()) {
      assertThat(share.active().size())
          .isBetween(partitions / memberCount, (partitions + memberCount - 1) / memberCount);
      assertThat(share.warmup()).isEmpty();
    }
  }

  /** What a group sees once a plan has run a while: the same plan again, nothing moves. */
  @Property(tries = 300)
  void aPlanThatHasRunIsPlannedAgainUnchanged(
      @ForAll @IntRange(min = 1, max = 24) int partitions,
      @ForAll @IntRange(min = 1, max = 6) int memberCount,
      @ForAll @IntRange(min = 0, max = 2) int standbys) {
    List<Member> fresh = new ArrayList<>();
    for (int m = 0; m < memberCount; m++) {
      fresh.add(new Member("m" + m, Map.of()));
    }
    Plan first = PartitionPlacement.plan(partitions, fresh, standbys, LAG);

    Plan again = PartitionPlacement.plan(partitions, storesAfter(first, 100_000), standbys, LAG);

    assertThat(again.owners()).isEqualTo(first.owners());
  }

  @Test
  void aFailedMembersPartitionsGoToItsStandbys() {
    List<Member> fresh = List.of(new Member("a", Map.of()), new Member("b", Map.of()));
    List<Member> three = new ArrayList<>(fresh);
    three.add(new Member("c", Map.of()));
    Plan before = PartitionPlacement.plan(12, three, 1, LAG);
    List<Member> stores = new ArrayList<>(storesAfter(before, 100_000));
    String failed = "b";
    stores.removeIf(m -> m.id().equals(failed));

    Plan after = PartitionPlacement.plan(12, stores, 1, LAG);

    for (int p : before.shares().get(failed).active()) {
      String standby =
          before.shares().entrySet().stream()
              .filter(e -> e.getValue().standby().contains(p))
              .findFirst()
              .orElseThrow()
              .getKey();
      assertThat(after.owners().get(p)).as("partition %d", p).isEqualTo(standby);
    }
  }

  @Test
  void aNewMemberWarmsUpBeforeItServes() {
    Plan alone = PartitionPlacement.plan(4, List.of(new Member("a", Map.of())), 1, LAG);
    List<Member> stores = new ArrayList<>(storesAfter(alone, 100_000));
    stores.add(new Member("b", Map.of()));

    Plan joined = PartitionPlacement.plan(4, stores, 1, LAG);

    assertThat(joined.shares().get("b").active()).as("an empty store serves nothing").isEmpty();
    assertThat(joined.shares().get("b").warmup()).hasSize(2);
    assertThat(joined.shares().get("b").standby()).hasSize(4);

    List<Member> warmed = new ArrayList<>(storesAfter(joined, 100_000));
    Plan balanced = PartitionPlacement.plan(4, warmed, 1, LAG);
    assertThat(balanced.shares().get("b").active())
        .as("once warm, it takes its share")
        .isEqualTo(joined.shares().get("b").warmup());
    assertThat(balanced.shares().get("a").active()).hasSize(2);
  }

  /** Stores as a plan leaves them: actives at {@code head}, standbys a little behind. */
  private static List<Member> storesAfter(Plan plan, long head) {
    List<Member> members = new ArrayList<>();
    plan.shares()
        .forEach(
            (id, share) -> {
              Map<Integer, Long> stored = new HashMap<>();
              share.standby().forEach(p -> stored.put(p, head - 10));
              share.active().forEach(p -> stored.put(p, head));
              members.add(new Member(id, stored));
            });
    return members;
  }

  private static List<Member> randomStores(int partitions, int memberCount, Random random) {
    List<Member> members = new ArrayList<>();
    for (int m = 0; m < memberCount; m++) {
      Map<Integer, Long> stored = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        if (random.nextBoolean()) {
          stored.put(p, (long) random.nextInt(5_000));
        }
      }
      members.add(new Member("m" + m, stored));
    }
    return members;
  }

  private static long offset(List<Member> members, String id, int p) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow().offset(p);
  }

  private static long furthest(List<Member> members, int p) {
    return members.stream().mapToLong(m -> m.offset(p)).max().orElseThrow();
  }
}

package io.tributary.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which materializer serves each history partition (its active) and which keep warm copies
 * (standbys), decided from what each member's store already holds, as Kafka Streams' high
 * availability assignor does.
 *
 * <p>A partition's active is a member that is caught up on it: within {@code acceptableLag} records
 * of the furthest store. Actives are spread evenly (every member gets the floor or the ceiling of
 * partitions / members) as far as caught-up members allow; where the member that balance wants is
 * not caught up, the partition stays with a caught-up one and the wanted member gets it as a
 * <em>warm-up</em>, a standby that asks for a new plan once it has caught up. So adding a
 * materializer never leaves a partition served by an empty store, and a failed one's partitions go
 * to its standbys, whose stores are warm.
 */
public final class PartitionPlacement {

  private PartitionPlacement() {}

  /**
   * A member of the group and how far its store has applied each partition (absent: not at all).
   */
  public record Member(String id, Map<Integer, Long> stored) {
    public Member {
      stored = Map.copyOf(stored);
    }

    long offset(int partition) {
      return stored.getOrDefault(partition, 0L);
    }
  }

  /**
   * One member's part of a plan.
   *
   * @param active the partitions it materializes, publishes and serves
   * @param standby the partitions it keeps warm without publishing or serving them
   * @param warmup those of {@code standby} that the plan means to make active once caught up
   */
  public record Share(Set<Integer> active, Set<Integer> standby, Set<Integer> warmup) {
    public Share {
      active = Set.copyOf(active);
      standby = Set.copyOf(standby);
      warmup = Set.copyOf(warmup);
    }
  }

  /**
   * A plan: every member's share, and the active member of every partition.
   *
   * @param owners the active member's id of partition i at index i
   */
  public record Plan(Map<String, Share> shares, List<String> owners) {
    public Plan {
      shares = Map.copyOf(shares);
      owners = List.copyOf(owners);
    }
  }

  /** Plans {@code partitions} over {@code members} (at least one) with that many standbys each. */
  public static Plan plan(
      int partitions, List<Member> members, int standbyReplicas, long acceptableLag) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one member");
    }
    List<Member> sorted =
        members.stream().sorted(Comparator.comparing(Member::id)).toList(); // deterministic
    return new Planner(partitions, sorted, standbyReplicas, acceptableLag).plan();
  }

  private static final class Planner {
    private final int partitions;
    private final List<Member> members;
    private final int standbyReplicas;
    private final long[] furthest;
    private final long acceptableLag;
    private final Map<String, TreeSet<Integer>> active = new HashMap<>();
    private final Map<String, TreeSet<Integer>> standby = new HashMap<>();
    private final Map<String, TreeSet<Integer>> warmup = new HashMap<>();
    private final String[] owners;
    private int atCeiling;

    Planner(int partitions, List<Member> members, int standbyReplicas, long acceptableLag) {
      this.partitions = partitions;
      this.members = members;
      this.standbyReplicas = Math.min(standbyReplicas, members.size() - 1);
      this.acceptableLag = acceptableLag;
      this.furthest = new long[partitions];
      this.owners = new String[partitions];
      for (Member member : members) {
        active.put(member.id(), new TreeSet<>());
        standby.put(member.id(), new TreeSet<>());
        warmup.put(member.id(), new TreeSet<>());
        for (int p = 0; p < partitions; p++) {
          furthest[p] = Math.max(furthest[p], member.offset(p));
        }
      }
    }

    Plan plan() {
      // The partitions with the fewest caught-up members first: they have the least choice.
      List<Integer> order = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        order.add(p);
      }
      order.sort(Comparator.comparingLong(p -> caughtUpCount(p)));
      for (int p : order) {
        placeActive(p);
      }
      for (int p = 0; p < partitions; p++) {
        placeStandbys(p);
      }
      Map<String, Share> shares = new TreeMap<>();
      for (Member member : members) {
        String id = member.id();
        shares.put(id, new Share(active.get(id), standby.get(id), warmup.get(id)));
      }
      return new Plan(shares, List.of(owners));
    }

    private void placeActive(int p) {
      Member wanted = best(p, this::hasRoom, false);
      if (caughtUp(wanted, p)) {
        assign(wanted, p);
        return;
      }
      // Balance wants a member that would serve from a store far behind: keep the partition with
      // a caught-up member and warm the wanted one up for the next plan.
      Member serving = best(p, m -> caughtUp(m, p), true);
      assign(serving, p);
      standby.get(wanted.id()).add(p);
      warmup.get(wanted.id()).add(p);
    }

    private void placeStandbys(int p) {
      while (standbyCount(p) < standbyReplicas) {
        Member next =
            members.stream()
                .filter(m -> !owners[p].equals(m.id()) && !standby.get(m.id()).contains(p))
                .max(
                    Comparator.<Member>comparingLong(m -> m.offset(p))
                        .thenComparing(m -> -standby.get(m.id()).size())
                        .thenComparing(Member::id, Comparator.reverseOrder()))
                .orElseThrow();
        standby.get(next.id()).add(p);
      }
    }

    private long standbyCount(int p) {
      return members.stream().filter(m -> standby.get(m.id()).contains(p)).count();
    }

    /**
     * The member to prefer among those {@code eligible}: caught up, then furthest along, then with
     * the fewest actives, then by id. With {@code fewestFirst} the count of actives comes first.
     */
    private Member best(int p, java.util.function.Predicate<Member> eligible, boolean fewestFirst) {
      Comparator<Member> byLoad = Comparator.comparingInt(m -> -active.get(m.id()).size());
      Comparator<Member> byStore =
          Comparator.<Member, Boolean>comparing(m -> caughtUp(m, p))
              .thenComparingLong(m -> m.offset(p));
      Comparator<Member> order =
          (fewestFirst ? byLoad.thenComparing(byStore) : byStore.thenComparing(byLoad))
              .thenComparing(Member::id, Comparator.reverseOrder());
      return members.stream().filter(eligible).max(order).orElseThrow();
    }

    /** Room under balance: every member ends with the floor or the ceiling of the average. */
    private boolean hasRoom(Member member) {
      int floor = partitions / members.size();
      int ceilings = partitions % members.size();
      int count = active.get(member.id()).size();
      return count < floor || (count == floor && atCeiling < ceilings);
    }

    private void assign(Member member, int p) {
      TreeSet<Integer> own = active.get(member.id());
      if (own.size() == partitions / members.size()) {
        atCeiling++;
      }
      own.add(p);
      owners[p] = member.id();
    }

    private boolean caughtUp(Member member, int p) {
      return member.offset(p) >= furthest[p] - acceptableLag;
    }

    private long caughtUpCount(int p) {
      return members.stream().filter(m -> caughtUp(m, p)).count();
    }
  }
}

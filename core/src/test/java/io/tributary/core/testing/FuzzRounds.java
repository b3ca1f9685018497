package io.tributary.core.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.Optional;
import java.util.Random;

/**
 * Rounds of a convergence fuzzer: a seed from {@code -Dfuzz.seed} (printed), a number of rounds,
 * and a diverging round cut down to the shortest prefix of its operations that still diverges,
 * printed with the command that replays it ({@code -Dfuzz.roundSeed}).
 */
public final class FuzzRounds {

  /** One round: what diverged and how, if anything did. */
  @FunctionalInterface
  public interface Round {
    Optional<String> run(Random random, int clients, int operations);
  }

  private FuzzRounds() {}

  /**
   * @param test the test class's simple name, for the replay command
   * @param roundsProperty the system property that sets the number of rounds
   */
  public static void run(
      String test, String roundsProperty, int defaultRounds, int defaultOperations, Round round) {
    int clients = Integer.getInteger("fuzz.clients", 4);
    int operations = Integer.getInteger("fuzz.operations", defaultOperations);
    Long oneRound = Long.getLong("fuzz.roundSeed");
    if (oneRound != null) {
      check(test, round, oneRound, clients, operations, "round seed " + oneRound);
      return;
    }
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    int rounds = Integer.getInteger(roundsProperty, defaultRounds);
    System.out.println(test + " seed=" + seed + " rounds=" + rounds + " (-Dfuzz.seed)");
    Random random = new Random(seed);
    for (int i = 0; i < rounds; i++) {
      check(test, round, random.nextLong(), clients, operations, "seed " + seed + " round " + i);
    }
  }

  private static void check(
      String test, Round round, long roundSeed, int clients, int operations, String label) {
    if (round.run(new Random(roundSeed), clients, operations).isEmpty()) {
      return;
    }
    for (int shorter = 1; shorter <= operations; shorter++) {
      Optional<String> failure = round.run(new Random(roundSeed), clients, shorter);
      if (failure.isPresent()) {
        fail(
            "%s diverges; the shortest reproduction has %d of %d operations:%n"
                + "mvn -pl core test -Dtest=%s -Dfuzz.roundSeed=%d"
                + " -Dfuzz.clients=%d -Dfuzz.operations=%d%n%s",
            label, shorter, operations, test, roundSeed, clients, shorter, failure.get());
      }
    }
  }
}

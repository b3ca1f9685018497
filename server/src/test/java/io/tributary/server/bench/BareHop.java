package io.tributary.server.bench;

/**
 * The baseline of {@code bench/load.sh}: one bare Kafka produce→consume hop on the server's own
 * broker, at the same rate, with the settings the roles use.
 *
 * <pre>BareHop bootstrap rate seconds</pre>
 */
public final class BareHop {

  private BareHop() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    System.out.printf(
        "bare Kafka hop at %d/s: %s%n",
        rate, PathLatencyBenchmark.bareKafka(args[0], rate, seconds).summary());
    System.exit(0);
  }
}

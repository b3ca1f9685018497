package io.tributary.server;

import java.util.Random;

/** Texts for tests that must move many bytes: changeset bodies are compressed on the wire. */
final class Texts {

  private Texts() {}

  /** Random lower-case letters: compression saves a quarter of them at most. */
  static String incompressible(Random random, int length) {
    return random
        .ints(length, 'a', 'z' + 1)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}

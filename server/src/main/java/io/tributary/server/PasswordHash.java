package io.tributary.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Admin passwords, hashed with Argon2id (Bouncy Castle) and kept as PHC strings, {@code
 * $argon2id$v=19$m=19456,t=2,p=1$salt$hash}: OWASP's minimum (19 MiB, 2 passes, 1 lane). A stored
 * hash is verified with the parameters it names, so stronger ones can come later without a
 * migration. About 50 ms of CPU each: never on an event loop.
 */
final class PasswordHash {

  static final int MEMORY_KIB = 19_456;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder ENCODE = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  /** A new hash of {@code password}, with a salt of its own. */
  static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + ENCODE.encodeToString(salt)
        + "$"
        + ENCODE.encodeToString(hash);
  }

  /** Whether {@code password} is the one {@code stored} was made from; false for a bad string. */
  static boolean verify(String stored, String password) {
    Matcher phc = PHC.matcher(stored == null ? "" : stored);
    if (!phc.matches()) {
      return false;
    }
    int memory = Integer.parseInt(phc.group(1));
    int iterations = Integer.parseInt(phc.group(2));
    int parallelism = Integer.parseInt(phc.group(3));
    if (memory < 8 * parallelism || iterations < 1 || parallelism < 1 || memory > 1_048_576) {
      return false; // Not parameters this server writes or could afford.
    }
    byte[] salt = DECODE.decode(phc.group(4));
    byte[] expected = DECODE.decode(phc.group(5));
    byte[] actual = argon2(password, salt, memory, iterations, parallelism, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] argon2(
      String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memory)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .build());
    byte[] hash = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
    return hash;
  }
}

package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String stored = PasswordHash.hash("correct horse battery staple");

    assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHash.verify(stored, "correct horse battery staple")).isTrue();
    assertThat(PasswordHash.verify(stored, "correct horse battery stapl")).isFalse();
    assertThat(PasswordHash.verify(stored, "")).isFalse();
    assertThat(PasswordHash.hash("correct horse battery staple"))
        .as("a salt of its own each time")
        .isNotEqualTo(stored);
  }

  @Test
  void aBrokenOrForeignStringVerifiesNothing() {
    String stored = PasswordHash.hash("pa55");
    String tampered = stored.substring(0, stored.length() - 2) + "AA";

    assertThat(PasswordHash.verify(tampered, "pa55")).isFalse();
    assertThat(PasswordHash.verify("$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "pa55"))
        .isFalse();
    assertThat(PasswordHash.verify("plain-text", "plain-text")).isFalse();
    assertThat(PasswordHash.verify(null, "pa55")).isFalse();
    assertThat(PasswordHash.verify("$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$aGFzaA", "pa55"))
        .as("parameters this server could not afford")
        .isFalse();
  }

  /** The RFC 9106 test vector for Argon2id, through the same generator: the algorithm is right. */
  @Test
  void theGeneratorMatchesRfc9106() {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    byte[] password = new byte[32];
    java.util.Arrays.fill(password, (byte) 1);
    byte[] salt = new byte[16];
    java.util.Arrays.fill(salt, (byte) 2);
    byte[] secret = new byte[8];
    java.util.Arrays.fill(secret, (byte) 3);
    byte[] associated = new byte[12];
    java.util.Arrays.fill(associated, (byte) 4);
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withSecret(secret)
            .withAdditional(associated)
            .withMemoryAsKB(32)
            .withIterations(3)
            .withParallelism(4)
            .build());
    byte[] tag = new byte[32];
    generator.generateBytes(password, tag);

    assertThat(HexFormat.of().formatHex(tag))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  }
}

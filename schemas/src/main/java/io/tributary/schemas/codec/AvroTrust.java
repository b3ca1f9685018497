package io.tributary.schemas.codec;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes outside a trusted list while decoding. Our generated
 * classes are trusted here, in code, so that no JVM flag can be forgotten: a missing flag would
 * make every record undecodable.
 */
public final class AvroTrust {

  private static final String GENERATED_PACKAGE = "io.tributary.schemas";

  static {
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            previous, type -> type.getPackageName().equals(GENERATED_PACKAGE)));
  }

  private AvroTrust() {}

  /** Makes sure the generated classes are trusted; cheap after the first call. */
  public static void ensure() {
    // Loading this class ran the static initializer above.
  }
}

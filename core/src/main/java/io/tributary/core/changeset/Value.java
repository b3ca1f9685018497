package io.tributary.core.changeset;

import java.util.Arrays;
import java.util.HexFormat;

/** A property value as it travels in changesets: every ObjectBox scalar maps onto one of these. */
public sealed interface Value {

  Value NULL = new Null();

  static Value of(boolean value) {
    return new Bool(value);
  }

  static Value of(long value) {
    return new Int(value);
  }

  static Value of(double value) {
    return new Float(value);
  }

  static Value of(String value) {
    return value == null ? NULL : new Text(value);
  }

  static Value of(byte[] value) {
    return value == null ? NULL : new Bytes(value);
  }

  /** The absence of a value (a null property). */
  record Null() implements Value {}

  record Bool(boolean value) implements Value {}

  /** Every integer type (byte … long, char, date, date-nano, to-one target id). */
  record Int(long value) implements Value {}

  /** Float and double. */
  record Float(double value) implements Value {}

  record Text(String value) implements Value {}

  /** Byte vectors and opaque values (Flex). Compared by content, not identity. */
  record Bytes(byte[] value) implements Value {
    public Bytes {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Bytes[" + HexFormat.of().formatHex(value) + "]";
    }
  }
}

package io.tributary.core.changeset;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

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

  static Value ids(java.util.Collection<Long> ids) {
    return new Ids(new TreeSet<>(ids));
  }

  /** The absence of a value (a null property). */
  record Null() implements Value {}

  record Bool(boolean value) implements Value {}

  /** Every integer type (byte … long, char, date, date-nano, to-one target id). */
  record Int(long value) implements Value {}

  /** Float and double. */
  record Float(double value) implements Value {}

  record Text(String value) implements Value {}

  /** The target ids of a to-many relation: a set, kept sorted. */
  record Ids(SortedSet<Long> ids) implements Value {
    public Ids {
      ids = Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }
  }

  /**
   * The elements of a vector property (an ordered list): booleans, integers, floats or strings,
   * never null and never nested.
   */
  record Vector(java.util.List<Value> elements) implements Value {
    public static final Vector EMPTY = new Vector(java.util.List.of());

    public Vector {
      elements = java.util.List.copyOf(elements);
    }
  }

  /** Opaque values (Flex). Compared by content, not identity. */
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

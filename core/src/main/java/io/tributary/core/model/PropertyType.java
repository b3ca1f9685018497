package io.tributary.core.model;

import java.util.Arrays;
import java.util.Optional;

/** ObjectBox property type codes, as written in objectbox-model.json. */
public enum PropertyType {
  BOOL(1, ValueKind.BOOL),
  BYTE(2, ValueKind.INT),
  SHORT(3, ValueKind.INT),
  CHAR(4, ValueKind.INT),
  INT(5, ValueKind.INT),
  LONG(6, ValueKind.INT),
  FLOAT(7, ValueKind.FLOAT),
  DOUBLE(8, ValueKind.FLOAT),
  STRING(9, ValueKind.TEXT),
  DATE(10, ValueKind.INT),
  RELATION(11, ValueKind.INT),
  DATE_NANO(12, ValueKind.INT),
  FLEX(13, ValueKind.BYTES),
  // Vectors are ordered lists of their element type.
  BOOL_VECTOR(22, ValueKind.VECTOR, ValueKind.BOOL),
  BYTE_VECTOR(23, ValueKind.VECTOR, ValueKind.INT),
  SHORT_VECTOR(24, ValueKind.VECTOR, ValueKind.INT),
  CHAR_VECTOR(25, ValueKind.VECTOR, ValueKind.INT),
  INT_VECTOR(26, ValueKind.VECTOR, ValueKind.INT),
  LONG_VECTOR(27, ValueKind.VECTOR, ValueKind.INT),
  FLOAT_VECTOR(28, ValueKind.VECTOR, ValueKind.FLOAT),
  DOUBLE_VECTOR(29, ValueKind.VECTOR, ValueKind.FLOAT),
  STRING_VECTOR(30, ValueKind.VECTOR, ValueKind.TEXT),
  DATE_VECTOR(31, ValueKind.VECTOR, ValueKind.INT),
  DATE_NANO_VECTOR(32, ValueKind.VECTOR, ValueKind.INT);

  private final int code;
  private final ValueKind valueKind;
  private final ValueKind elementKind;

  PropertyType(int code, ValueKind valueKind) {
    this(code, valueKind, null);
  }

  PropertyType(int code, ValueKind valueKind, ValueKind elementKind) {
    this.code = code;
    this.valueKind = valueKind;
    this.elementKind = elementKind;
  }

  /** What the elements of a vector hold; null for any other type. */
  public ValueKind elementKind() {
    return elementKind;
  }

  public int code() {
    return code;
  }

  public ValueKind valueKind() {
    return valueKind;
  }

  public static Optional<PropertyType> ofCode(int code) {
    return Arrays.stream(values()).filter(type -> type.code == code).findFirst();
  }
}

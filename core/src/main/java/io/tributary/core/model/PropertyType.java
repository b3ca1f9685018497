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
  // Vectors travel as opaque bytes until list instructions exist.
  BOOL_VECTOR(22, ValueKind.BYTES),
  BYTE_VECTOR(23, ValueKind.BYTES),
  SHORT_VECTOR(24, ValueKind.BYTES),
  CHAR_VECTOR(25, ValueKind.BYTES),
  INT_VECTOR(26, ValueKind.BYTES),
  LONG_VECTOR(27, ValueKind.BYTES),
  FLOAT_VECTOR(28, ValueKind.BYTES),
  DOUBLE_VECTOR(29, ValueKind.BYTES),
  STRING_VECTOR(30, ValueKind.BYTES),
  DATE_VECTOR(31, ValueKind.BYTES),
  DATE_NANO_VECTOR(32, ValueKind.BYTES);

  private final int code;
  private final ValueKind valueKind;

  PropertyType(int code, ValueKind valueKind) {
    this.code = code;
    this.valueKind = valueKind;
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

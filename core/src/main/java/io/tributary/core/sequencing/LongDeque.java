package io.tributary.core.sequencing;

/**
 * A growable ring of primitive longs, added at the end and removed from the front, readable and
 * writable by index: a window's history positions, without a boxed {@code Long} for each.
 */
final class LongDeque {

  private long[] values = new long[16];
  private int first;
  private int size;

  int size() {
    return size;
  }

  void addLast(long value) {
    if (size == values.length) {
      values = copy(values.length * 2);
      first = 0;
    }
    values[(first + size) % values.length] = value;
    size++;
  }

  void clear() {
    first = 0;
    size = 0;
  }

  long removeFirst() {
    if (size == 0) {
      throw new java.util.NoSuchElementException();
    }
    long value = values[first];
    first = (first + 1) % values.length;
    size--;
    return value;
  }

  long get(int index) {
    return values[slot(index)];
  }

  void set(int index, long value) {
    values[slot(index)] = value;
  }

  /** The values in order, from the first. */
  long[] toArray() {
    return copy(size);
  }

  private long[] copy(int capacity) {
    long[] copy = new long[capacity];
    int head = Math.min(size, values.length - first);
    System.arraycopy(values, first, copy, 0, head);
    System.arraycopy(values, 0, copy, head, size - head);
    return copy;
  }

  private int slot(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index + " of " + size);
    }
    return (first + index) % values.length;
  }
}

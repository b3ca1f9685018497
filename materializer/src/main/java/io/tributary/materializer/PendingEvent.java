package io.tributary.materializer;

import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.events.ChangeEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A change event waiting in the store's outbox to be published, with the history partition its
 * dataset lives in (the change events topic keeps a dataset's events in the same partition number,
 * in order) and the offset of the history record it comes from (a group's published mark stays
 * below the first event not yet sent). Stored under the names history stores: they become current
 * ones when published.
 */
record PendingEvent(int partition, long offset, ChangeEvent event) {

  /** Starts the encoding that has the offset; the one before started with the partition (≥ 0). */
  private static final int WITH_OFFSET = -1;

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(WITH_OFFSET);
      out.writeLong(offset);
      out.writeInt(partition);
      out.writeUTF(event.dataset());
      out.writeUTF(event.key().entity());
      out.writeLong(event.key().id());
      out.writeByte(event.operation().ordinal());
      writeState(out, event.before());
      writeState(out, event.after());
      out.writeInt(event.changed().size());
      for (String property : event.changed()) {
        out.writeUTF(property);
      }
      out.writeLong(event.serverVersion());
      out.writeLong(event.timestamp());
      out.writeLong(event.originIdent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The history offset of an encoded event without decoding the rest; 0 if it has none. */
  static long offsetOf(byte[] bytes) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
    return buffer.getInt() == WITH_OFFSET ? buffer.getLong() : 0;
  }

  static PendingEvent decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int first = in.readInt();
      long offset = first == WITH_OFFSET ? in.readLong() : 0;
      int partition = first == WITH_OFFSET ? in.readInt() : first;
      String dataset = in.readUTF();
      ObjectKey key = new ObjectKey(in.readUTF(), in.readLong());
      ChangeEvent.Operation operation = ChangeEvent.Operation.values()[in.readByte()];
      Optional<SortedMap<String, Value>> before = readState(in);
      Optional<SortedMap<String, Value>> after = readState(in);
      SortedSet<String> changed = new TreeSet<>();
      for (int i = in.readInt(); i > 0; i--) {
        changed.add(in.readUTF());
      }
      return new PendingEvent(
          partition,
          offset,
          new ChangeEvent(
              dataset,
              key,
              operation,
              before,
              after,
              Collections.unmodifiableSortedSet(changed),
              in.readLong(),
              in.readLong(),
              in.readLong()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeState(DataOutputStream out, Optional<SortedMap<String, Value>> state)
      throws IOException {
    if (state.isEmpty()) {
      out.writeInt(-1);
      return;
    }
    byte[] encoded = StoredValues.object(state.get());
    out.writeInt(encoded.length);
    out.write(encoded);
  }

  private static Optional<SortedMap<String, Value>> readState(DataInputStream in)
      throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return Optional.empty();
    }
    return Optional.of(StoredValues.object(in.readNBytes(length)));
  }
}

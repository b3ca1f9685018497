package io.tributary.materializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The RocksDB key layout. One keyspace, a one-byte kind, then big-endian numbers so that keys sort
 * by dataset, then entity and id, or by version:
 *
 * <pre>
 * 'o' dataset 0 entity 0 id      object: its properties
 * 'h' dataset 0 version          history entry: its salt and history bytes, the changeset
 * 'v' dataset                    head: the last version, its salt and history bytes
 * 'c' dataset 0 ident            client file: salt and last integrated client version
 * 'p' partition                  consumed offset of a history partition and its fence
 * 'f' partition offset           an accepted epoch marker of a history partition, at its offset
 * 'q' partition sequence         outbox: a change event not yet published, by history partition
 * 'e' sequence                   the outbox before it was kept by partition: sent first, never trimmed
 * 'n'                            the schema version change events were last published under
 * </pre>
 *
 * Dataset and entity names never contain a 0 byte: the gateway and the model parser refuse them.
 */
final class Keys {

  static final byte OBJECT = 'o';
  static final byte HISTORY = 'h';
  static final byte HEAD = 'v';
  static final byte CLIENT = 'c';
  static final byte PROGRESS = 'p';
  static final byte FENCE = 'f';
  static final byte OUTBOX = 'q';
  static final byte UNPARTITIONED_OUTBOX = 'e';
  static final byte[] PUBLISHED_SCHEMA = {'n'};

  private Keys() {}

  static byte[] object(String dataset, String entity, long id) {
    byte[] ds = utf8(dataset);
    byte[] en = utf8(entity);
    return ByteBuffer.allocate(1 + ds.length + 1 + en.length + 1 + 8)
        .put(OBJECT)
        .put(ds)
        .put((byte) 0)
        .put(en)
        .put((byte) 0)
        .putLong(id)
        .array();
  }

  /** The prefix shared by every object of a dataset. */
  static byte[] objects(String dataset) {
    return prefix(OBJECT, dataset);
  }

  /** The prefix shared by every object of one entity of a dataset. */
  static byte[] entityObjects(String dataset, String entity) {
    byte[] ds = utf8(dataset);
    byte[] en = utf8(entity);
    return ByteBuffer.allocate(1 + ds.length + 1 + en.length + 1)
        .put(OBJECT)
        .put(ds)
        .put((byte) 0)
        .put(en)
        .put((byte) 0)
        .array();
  }

  static byte[] history(String dataset, long version) {
    return withLong(prefix(HISTORY, dataset), version);
  }

  /** The prefix shared by every history entry of a dataset. */
  static byte[] historyPrefix(String dataset) {
    return prefix(HISTORY, dataset);
  }

  /** The version at the end of a history key. */
  static long versionOf(byte[] historyKey) {
    return ByteBuffer.wrap(historyKey, historyKey.length - 8, 8).getLong();
  }

  static byte[] head(String dataset) {
    byte[] ds = utf8(dataset);
    return ByteBuffer.allocate(1 + ds.length).put(HEAD).put(ds).array();
  }

  static byte[] client(String dataset, long ident) {
    return withLong(prefix(CLIENT, dataset), ident);
  }

  static byte[] progress(int partition) {
    return ByteBuffer.allocate(5).put(PROGRESS).putInt(partition).array();
  }

  /** The partition at the end of a progress key. */
  static int partitionOf(byte[] progressKey) {
    return ByteBuffer.wrap(progressKey, 1, 4).getInt();
  }

  static byte[] fence(int partition, long offset) {
    return ByteBuffer.allocate(13).put(FENCE).putInt(partition).putLong(offset).array();
  }

  /** The offset at the end of a fence key. */
  static long offsetOfFence(byte[] fenceKey) {
    return ByteBuffer.wrap(fenceKey, 5, 8).getLong();
  }

  static byte[] outbox(int partition, long sequence) {
    return ByteBuffer.allocate(13).put(OUTBOX).putInt(partition).putLong(sequence).array();
  }

  /** The prefix shared by the outbox entries of one history partition. */
  static byte[] outbox(int partition) {
    return ByteBuffer.allocate(5).put(OUTBOX).putInt(partition).array();
  }

  /** The partition of an outbox key. */
  static int partitionOfOutbox(byte[] outboxKey) {
    return ByteBuffer.wrap(outboxKey, 1, 4).getInt();
  }

  /** The sequence at the end of an outbox key. */
  static long sequenceOf(byte[] outboxKey) {
    return ByteBuffer.wrap(outboxKey, 5, 8).getLong();
  }

  /** The dataset of any object key. */
  static String datasetOfObject(byte[] key) {
    int end = 1;
    while (key[end] != 0) {
      end++;
    }
    return new String(key, 1, end - 1, StandardCharsets.UTF_8);
  }

  /** The entity and id of an object key that starts with {@code objects(dataset)}. */
  static ObjectKeyParts parseObject(byte[] key, int prefixLength) {
    int end = prefixLength;
    while (key[end] != 0) {
      end++;
    }
    String entity = new String(key, prefixLength, end - prefixLength, StandardCharsets.UTF_8);
    long id = ByteBuffer.wrap(key, end + 1, 8).getLong();
    return new ObjectKeyParts(entity, id);
  }

  record ObjectKeyParts(String entity, long id) {}

  private static byte[] prefix(byte kind, String dataset) {
    byte[] ds = utf8(dataset);
    return ByteBuffer.allocate(1 + ds.length + 1).put(kind).put(ds).put((byte) 0).array();
  }

  private static byte[] withLong(byte[] prefix, long value) {
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(value).array();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package io.tributary.schemas.codec;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.sequencing.SequencerSnapshot;
import io.tributary.core.sequencing.SequencerSnapshot.ClientView;
import io.tributary.core.sequencing.SequencerSnapshot.RecentWrite;
import io.tributary.schemas.CheckpointHeader;
import io.tributary.schemas.ClientViewCheckpoint;
import io.tributary.schemas.DatasetCheckpoint;
import io.tributary.schemas.TakeoverNotice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Sequencer checkpoints in their Avro form. A checkpoint's datasets are encoded one after the other
 * into one stream, cut into chunks of at most {@value #CHUNK_BYTES} bytes: no record grows with the
 * number of datasets or the size of one, and equal states are equal bytes.
 */
public final class CheckpointCodec {

  static {
    AvroTrust.ensure();
  }

  /** The largest chunk: well under Kafka's default record size limit. */
  public static final int CHUNK_BYTES = 512 * 1024;

  private CheckpointCodec() {}

  /** The datasets' snapshots, in the order given, encoded and cut into chunks. */
  public static List<byte[]> chunks(Map<String, SequencerSnapshot> datasets) {
    Chunker chunker = new Chunker();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(chunker, null);
    SpecificDatumWriter<DatasetCheckpoint> writer =
        new SpecificDatumWriter<>(DatasetCheckpoint.class);
    try {
      for (Map.Entry<String, SequencerSnapshot> dataset : datasets.entrySet()) {
        writer.write(toAvro(dataset.getKey(), dataset.getValue()), encoder);
      }
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // Written to memory: never.
    }
    return chunker.finish();
  }

  /** The {@code count} datasets encoded in {@code chunks}, in their order. */
  public static Map<String, SequencerSnapshot> datasets(List<byte[]> chunks, int count)
      throws IOException {
    List<InputStream> streams =
        chunks.stream().map(c -> (InputStream) new ByteArrayInputStream(c)).toList();
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(new SequenceInputStream(Collections.enumeration(streams)), null);
    SpecificDatumReader<DatasetCheckpoint> reader =
        new SpecificDatumReader<>(DatasetCheckpoint.class);
    Map<String, SequencerSnapshot> datasets = new LinkedHashMap<>();
    DatasetCheckpoint reused = null;
    for (int i = 0; i < count; i++) {
      reused = reader.read(reused, decoder);
      datasets.put(reused.getDataset(), fromAvro(reused));
    }
    if (!decoder.isEnd()) {
      throw new IOException("the checkpoint's chunks hold more than its " + count + " datasets");
    }
    return datasets;
  }

  static DatasetCheckpoint toAvro(String dataset, SequencerSnapshot snapshot) {
    List<ClientViewCheckpoint> views = new ArrayList<>(snapshot.views().size());
    for (ClientView view : snapshot.views()) {
      views.add(
          new ClientViewCheckpoint(
              view.client(),
              view.lastOwnVersion(),
              new ArrayList<>(view.rebased().keySet()),
              ChangesetCodec.toAvro(new ArrayList<>(view.rebased().values()))));
    }
    return new DatasetCheckpoint(
        dataset,
        snapshot.head(),
        snapshot.lastIdent(),
        new ArrayList<>(snapshot.clientVersions().keySet()),
        new ArrayList<>(snapshot.clientVersions().values()),
        snapshot.recentWrites().stream().map(RecentWrite::idempotencyKey).toList(),
        snapshot.recentWrites().stream().map(RecentWrite::version).toList(),
        views,
        deltas(snapshot.windowPositions()));
  }

  static SequencerSnapshot fromAvro(DatasetCheckpoint avro) throws IOException {
    SortedMap<Long, Long> clientVersions = new TreeMap<>();
    for (int i = 0; i < avro.getClientIdents().size(); i++) {
      clientVersions.put(avro.getClientIdents().get(i), avro.getClientVersions().get(i));
    }
    List<RecentWrite> writes = new ArrayList<>(avro.getWriteKeys().size());
    for (int i = 0; i < avro.getWriteKeys().size(); i++) {
      writes.add(new RecentWrite(avro.getWriteKeys().get(i), avro.getWriteVersions().get(i)));
    }
    List<ClientView> views = new ArrayList<>(avro.getViews().size());
    for (ClientViewCheckpoint view : avro.getViews()) {
      SortedMap<Long, Changeset> rebased = new TreeMap<>();
      for (int i = 0; i < view.getVersions().size(); i++) {
        rebased.put(
            view.getVersions().get(i), ChangesetCodec.fromAvro(view.getChangesets().get(i)));
      }
      views.add(new ClientView(view.getClient(), view.getLastOwnVersion(), rebased));
    }
    return new SequencerSnapshot(
        avro.getHead(),
        avro.getLastIdent(),
        clientVersions,
        writes,
        views,
        positions(avro.getWindowPositions()));
  }

  public static byte[] encode(CheckpointHeader header) {
    try {
      return RecordCodec.bytes(CheckpointHeader.getEncoder().encode(header));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CheckpointHeader decodeHeader(byte[] bytes) throws IOException {
    return CheckpointHeader.getDecoder().decode(bytes);
  }

  public static byte[] encode(TakeoverNotice notice) {
    try {
      return RecordCodec.bytes(TakeoverNotice.getEncoder().encode(notice));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TakeoverNotice decodeNotice(byte[] bytes) throws IOException {
    return TakeoverNotice.getDecoder().decode(bytes);
  }

  /** Growing positions as varint differences: about two bytes each where datasets interleave. */
  static ByteBuffer deltas(long[] positions) {
    byte[] out = new byte[positions.length * 10];
    int length = 0;
    long previous = 0;
    for (long position : positions) {
      long delta = position - previous;
      if (delta < 0) {
        throw new IllegalArgumentException("window positions must grow: " + position);
      }
      previous = position;
      while ((delta & ~0x7FL) != 0) {
        out[length++] = (byte) ((delta & 0x7F) | 0x80);
        delta >>>= 7;
      }
      out[length++] = (byte) delta;
    }
    return ByteBuffer.wrap(out, 0, length).slice();
  }

  static long[] positions(ByteBuffer deltas) throws IOException {
    ByteBuffer in = deltas.duplicate();
    long[] positions = new long[in.remaining()];
    int count = 0;
    long previous = 0;
    while (in.hasRemaining()) {
      long delta = 0;
      for (int shift = 0; ; shift += 7) {
        if (!in.hasRemaining() || shift > 63) {
          throw new IOException("a window position is cut off or too long");
        }
        byte b = in.get();
        delta |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      previous += delta;
      positions[count++] = previous;
    }
    return java.util.Arrays.copyOf(positions, count);
  }

  /** Cuts what is written into chunks of {@link #CHUNK_BYTES}. */
  private static final class Chunker extends OutputStream {
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[CHUNK_BYTES];
    private int used;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        int n = Math.min(length, CHUNK_BYTES - used);
        System.arraycopy(bytes, offset, current, used, n);
        used += n;
        offset += n;
        length -= n;
        if (used == CHUNK_BYTES) {
          chunks.add(current);
          current = new byte[CHUNK_BYTES];
          used = 0;
        }
      }
    }

    List<byte[]> finish() {
      if (used > 0) {
        chunks.add(java.util.Arrays.copyOf(current, used));
      }
      return chunks;
    }
  }
}

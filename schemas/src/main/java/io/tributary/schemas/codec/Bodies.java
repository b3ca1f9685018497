package io.tributary.schemas.codec;

import io.tributary.core.changeset.Changeset;
import io.tributary.schemas.BodyEncoding;
import io.tributary.schemas.ChangesetBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Changeset bodies on the wire: the Avro binary encoding of a changeset, zlib-compressed when it is
 * larger than {@link #COMPRESS_ABOVE} and compression makes it smaller. Decoding never inflates
 * past the declared size, so a decompression bomb costs at most {@link #MAX_SIZE} bytes.
 */
public final class Bodies {

  static {
    AvroTrust.ensure();
  }

  public static final int COMPRESS_ABOVE = 1024;

  /** The largest decoded changeset: one upload becomes one Kafka record. */
  public static final int MAX_SIZE = 16 * 1024 * 1024;

  private static final SpecificDatumWriter<io.tributary.schemas.Changeset> WRITER =
      new SpecificDatumWriter<>(io.tributary.schemas.Changeset.class);
  private static final SpecificDatumReader<io.tributary.schemas.Changeset> READER =
      new SpecificDatumReader<>(io.tributary.schemas.Changeset.class);

  /** A body declares more than {@link #MAX_SIZE} bytes, or inflates past what it declares. */
  public static final class TooLargeException extends RuntimeException {
    public TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  private Bodies() {}

  public static ChangesetBody encode(Changeset changeset) {
    byte[] plain = plain(ChangesetCodec.toAvro(changeset));
    if (plain.length > COMPRESS_ABOVE) {
      byte[] compressed = deflate(plain);
      if (compressed.length < plain.length) {
        return new ChangesetBody(BodyEncoding.ZLIB, plain.length, ByteBuffer.wrap(compressed));
      }
    }
    return new ChangesetBody(BodyEncoding.PLAIN, plain.length, ByteBuffer.wrap(plain));
  }

  /**
   * The changeset of a body.
   *
   * @throws TooLargeException if it declares or inflates to more than {@link #MAX_SIZE} bytes
   * @throws MalformedFrameException if it does not hold what it declares
   */
  public static Changeset decode(ChangesetBody body) {
    int size = body.getSize();
    if (size > MAX_SIZE) {
      throw new TooLargeException(
          "a changeset body declares " + size + " bytes; at most " + MAX_SIZE + " are allowed");
    }
    if (size < 0) {
      throw new MalformedFrameException("a changeset body declares a negative size");
    }
    byte[] data = RecordCodec.bytes(body.getData());
    byte[] plain = body.getEncoding() == BodyEncoding.ZLIB ? inflate(data, size) : data;
    if (plain.length != size) {
      throw new MalformedFrameException(
          "a changeset body declares " + size + " bytes but holds " + plain.length);
    }
    return ChangesetCodec.fromAvro(changeset(plain));
  }

  /** The decoded size of the bodies together, as declared. */
  public static long declaredSize(Iterable<ChangesetBody> bodies) {
    long total = 0;
    for (ChangesetBody body : bodies) {
      total += Math.max(0, body.getSize());
    }
    return total;
  }

  private static byte[] plain(io.tributary.schemas.Changeset changeset) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      WRITER.write(changeset, encoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static io.tributary.schemas.Changeset changeset(byte[] plain) {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(plain, null);
    try {
      io.tributary.schemas.Changeset changeset = READER.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new MalformedFrameException("trailing bytes after a changeset");
      }
      if (!Arrays.equals(plain(changeset), plain)) {
        throw new MalformedFrameException("a changeset body is " + Frames.NOT_CANONICAL);
      }
      return changeset;
    } catch (IOException | RuntimeException e) {
      if (e instanceof MalformedFrameException malformed) {
        throw malformed;
      }
      throw new MalformedFrameException("cannot decode a changeset body: " + e.getMessage());
    }
  }

  private static byte[] deflate(byte[] plain) {
    Deflater deflater = new Deflater();
    try {
      deflater.setInput(plain);
      deflater.finish();
      byte[] buffer = new byte[plain.length];
      int length = 0;
      while (!deflater.finished() && length < buffer.length) {
        length += deflater.deflate(buffer, length, buffer.length - length);
      }
      return deflater.finished() ? Arrays.copyOf(buffer, length) : plain; // Would not shrink.
    } finally {
      deflater.end();
    }
  }

  /** Inflates into exactly {@code size} bytes; more is a bomb, less a lie. */
  private static byte[] inflate(byte[] data, int size) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      byte[] plain = new byte[size];
      int length = 0;
      while (length < size && !inflater.finished()) {
        int inflated = inflater.inflate(plain, length, size - length);
        if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new MalformedFrameException("a compressed changeset body is truncated");
        }
        length += inflated;
      }
      if (!inflater.finished()) {
        byte[] probe = new byte[1];
        if (inflater.inflate(probe) > 0 || !inflater.finished()) {
          throw new TooLargeException(
              "a compressed changeset body inflates past its declared " + size + " bytes");
        }
      }
      return length == size ? plain : Arrays.copyOf(plain, length);
    } catch (DataFormatException e) {
      throw new MalformedFrameException("a changeset body is not valid zlib: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }
}

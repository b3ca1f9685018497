package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.testing.SeedFromSystemProperty;
import io.tributary.schemas.Bind;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Upload;
import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder on garbage: random bytes and mutations of real frames either decode or fail
 * with {@link MalformedFrameException}; nothing else escapes, a length field cannot make the
 * decoder allocate more than the frame holds, and what decodes encodes again to the same bytes (one
 * message has one encoding). {@code -Djqwik.seed=S} replays a run.
 */
@AddLifecycleHook(SeedFromSystemProperty.class)
class FramesFuzzTest {

  private static final byte[] BIND =
      Frames.encode(new ClientMessage(new Bind(1L, "tasks", "token", true)));
  private static final byte[] UPLOAD =
      Frames.encode(
          new ClientMessage(
              new Upload(
                  1L,
                  List.of(
                      Bodies.encode(
                          new io.tributary.core.changeset.Changeset(
                              1,
                              0,
                              5,
                              1,
                              List.of(
                                  new io.tributary.core.changeset.Instruction.CreateObject(
                                      new io.tributary.core.changeset.ObjectKey("Task", 1)))))))));

  @Property(tries = 5_000)
  void randomBytesDecodeOrAreRefused(@ForAll @Size(max = 300) byte[] frame) {
    decodeOrRefuse(frame);
  }

  @Property(tries = 5_000)
  void mutatedFramesDecodeOrAreRefused(
      @ForAll("frames") byte[] frame, @ForAll("positions") int position, @ForAll byte value) {
    byte[] mutated = frame.clone();
    mutated[position % mutated.length] = value;
    decodeOrRefuse(mutated);
  }

  @Property(tries = 1_000)
  void truncatedFramesAreRefused(@ForAll("frames") byte[] frame, @ForAll("positions") int cut) {
    byte[] truncated = java.util.Arrays.copyOf(frame, cut % frame.length);
    assertThatThrownBy(() -> Frames.decodeClient(truncated))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void aFrameOutsideTheCanonicalEncodingIsRefused() {
    byte[] invalidUtf8 = BIND.clone();
    invalidUtf8[3] = (byte) 0xFF; // The dataset name's first byte.
    assertThatThrownBy(() -> Frames.decodeClient(invalidUtf8))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("canonical");
    byte[] notABoolean = BIND.clone();
    notABoolean[notABoolean.length - 1] = 2; // needsIdent
    assertThatThrownBy(() -> Frames.decodeClient(notABoolean))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void aHugeDeclaredLengthIsRefusedWithoutAllocatingIt() {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0); // union member 0: Bind
    frame.write(2); // session 1
    writeVarLong(frame, 1L << 30); // a dataset name of 1 GiB, in a frame of a few bytes
    byte[] bytes = frame.toByteArray();

    assertThatThrownBy(() -> Frames.decodeClient(bytes))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void aHugeDeclaredArrayIsRefusedWithoutAllocatingIt() {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(4); // union member 2: Upload
    frame.write(2); // session 1
    writeVarLong(frame, 1L << 28); // 268 million changesets, in a frame of a few bytes
    byte[] bytes = frame.toByteArray();

    assertThatThrownBy(() -> Frames.decodeClient(bytes))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Provide
  Arbitrary<byte[]> frames() {
    return Arbitraries.of(BIND, UPLOAD);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  /** Decodes as the gateway does, changeset bodies included; what decodes encodes back. */
  private static void decodeOrRefuse(byte[] frame) {
    ClientMessage message;
    try {
      message = Frames.decodeClient(frame);
      if (message.getBody() instanceof Upload upload) {
        upload.getChangesets().forEach(Bodies::decode);
      }
    } catch (MalformedFrameException | Bodies.TooLargeException expected) {
      return; // Refused with a reason: what the gateway turns into ERROR 100 or 102.
    }
    assertThat(Frames.encode(message)).as("encoded again").isEqualTo(frame);
  }

  /** Avro's zig-zag variable-length long. */
  private static void writeVarLong(ByteArrayOutputStream out, long value) {
    long n = (value << 1) ^ (value >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
  }
}

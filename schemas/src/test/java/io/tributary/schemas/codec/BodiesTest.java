package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.BodyEncoding;
import io.tributary.schemas.ChangesetBody;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class BodiesTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 1);

  @Test
  void aSmallChangesetTravelsPlain() {
    Changeset small = changeset(1);

    ChangesetBody body = Bodies.encode(small);

    assertThat(body.getEncoding()).isEqualTo(BodyEncoding.PLAIN);
    assertThat(Bodies.decode(body)).isEqualTo(small);
  }

  @Test
  void aLargeCompressibleChangesetTravelsCompressed() {
    Changeset large = changeset(200);

    ChangesetBody body = Bodies.encode(large);

    assertThat(body.getEncoding()).isEqualTo(BodyEncoding.ZLIB);
    assertThat(body.getData().remaining()).isLessThan(body.getSize() / 4);
    assertThat(Bodies.decode(body)).isEqualTo(large);
  }

  @Test
  void aDecompressionBombIsRefusedAtItsDeclaredSize() throws Exception {
    byte[] zeros = new byte[64 * 1024 * 1024]; // Inflates to 64 MiB; compressed, about 64 KiB.
    ChangesetBody bomb = new ChangesetBody(BodyEncoding.ZLIB, 1024, ByteBuffer.wrap(zlib(zeros)));

    assertThatThrownBy(() -> Bodies.decode(bomb))
        .isInstanceOf(Bodies.TooLargeException.class)
        .hasMessageContaining("inflates past its declared 1024 bytes");
  }

  @Test
  void aDeclaredSizeOverTheLimitIsRefusedBeforeInflating() {
    ChangesetBody huge =
        new ChangesetBody(BodyEncoding.ZLIB, Bodies.MAX_SIZE + 1, ByteBuffer.wrap(new byte[10]));

    assertThatThrownBy(() -> Bodies.decode(huge)).isInstanceOf(Bodies.TooLargeException.class);
  }

  @Test
  void aBodyThatHoldsLessThanItDeclaresIsMalformed() throws Exception {
    byte[] plain = Bodies.encode(changeset(1)).getData().array();
    ChangesetBody lying =
        new ChangesetBody(BodyEncoding.ZLIB, plain.length + 10, ByteBuffer.wrap(zlib(plain)));

    assertThatThrownBy(() -> Bodies.decode(lying)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(
            () ->
                Bodies.decode(
                    new ChangesetBody(BodyEncoding.PLAIN, 3, ByteBuffer.wrap(new byte[] {1, 2}))))
        .isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void garbageThatIsNotZlibIsMalformed() {
    ChangesetBody garbage =
        new ChangesetBody(BodyEncoding.ZLIB, 100, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));

    assertThatThrownBy(() -> Bodies.decode(garbage)).isInstanceOf(MalformedFrameException.class);
  }

  private static Changeset changeset(int updates) {
    List<Instruction> instructions = new ArrayList<>();
    instructions.add(new Instruction.CreateObject(TASK));
    for (int i = 0; i < updates; i++) {
      instructions.add(new Instruction.Update(TASK, "text", Value.of("the same text " + i % 3)));
    }
    return new Changeset(1, 0, 5, 1, instructions);
  }

  private static byte[] zlib(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate =
        new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      deflate.write(plain);
    }
    return out.toByteArray();
  }
}

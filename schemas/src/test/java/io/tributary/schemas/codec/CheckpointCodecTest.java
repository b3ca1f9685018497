package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.SequencerSnapshot;
import io.tributary.core.sequencing.SequencerSnapshot.ClientView;
import io.tributary.core.sequencing.SequencerSnapshot.RecentWrite;
import io.tributary.schemas.CheckpointHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

  @Test
  void aCheckpointCutIntoChunksReadsBackAsTheSameDatasetsAndTheSameBytes() throws Exception {
    long seed = System.nanoTime();
    System.out.println("CheckpointCodecTest seed=" + seed);
    Random random = new Random(seed);
    Map<String, SequencerSnapshot> datasets = new LinkedHashMap<>();
    for (int i = 0; i < 1_500; i++) {
      datasets.put("dataset-" + i, snapshot(random));
    }

    List<byte[]> chunks = CheckpointCodec.chunks(datasets);
    Map<String, SequencerSnapshot> read = CheckpointCodec.datasets(chunks, datasets.size());

    assertThat(chunks.size()).as("chunks, seed %d", seed).isGreaterThan(1);
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(CheckpointCodec.CHUNK_BYTES));
    assertThat(read).as("seed %d", seed).containsExactlyEntriesOf(datasets);
    List<byte[]> again = CheckpointCodec.chunks(read);
    assertThat(again.size()).isEqualTo(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      assertThat(again.get(i)).isEqualTo(chunks.get(i));
    }
  }

  @Test
  void aCheckpointMissingAChunkDoesNotReadAsOne() {
    Map<String, SequencerSnapshot> datasets = new LinkedHashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      datasets.put("d" + i, snapshot(random));
    }
    List<byte[]> chunks = CheckpointCodec.chunks(datasets);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CheckpointCodec.datasets(chunks.subList(0, chunks.size() - 1), datasets.size()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aHeaderReadsBack() throws Exception {
    CheckpointHeader header = new CheckpointHeader(1, "id", 42L, 3L, "token", 4L, 5, 6, 7L, 8L);
    assertThat(CheckpointCodec.decodeHeader(CheckpointCodec.encode(header))).isEqualTo(header);
  }

  private static SequencerSnapshot snapshot(Random random) {
    long head = 1 + random.nextInt(5_000);
    TreeMap<Long, Long> clients = new TreeMap<>();
    for (int i = 0, n = random.nextInt(20); i < n; i++) {
      clients.put((long) 1 + random.nextInt(1000), (long) random.nextInt(100));
    }
    List<RecentWrite> writes =
        java.util.stream.IntStream.range(0, random.nextInt(5))
            .mapToObj(i -> new RecentWrite("key-" + random.nextLong(), i + 1L))
            .toList();
    TreeMap<Long, Changeset> rebased = new TreeMap<>();
    rebased.put(
        head,
        new Changeset(
            1,
            head - 1,
            99,
            3,
            List.of(new Instruction.Update(new ObjectKey("Task", 1), "title", Value.of("x")))));
    long[] positions = new long[(int) Math.min(head, random.nextInt(400))];
    long position = random.nextInt(1000);
    for (int i = 0; i < positions.length; i++) {
      position += 1 + random.nextInt(300);
      positions[i] = position;
    }
    return new SequencerSnapshot(
        head,
        clients.size(),
        clients,
        writes,
        List.of(new ClientView(3, head, rebased)),
        positions);
  }
}

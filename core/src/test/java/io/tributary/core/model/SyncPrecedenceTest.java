package io.tributary.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SyncPrecedenceTest {

  private static final String MODEL =
      "{\"entities\":[{\"id\":\"1:1\",\"name\":\"Note\",\"flags\":2,\"properties\":["
          + "{\"id\":\"1:2\",\"name\":\"id\",\"type\":6,\"flags\":1},"
          + "{\"id\":\"2:3\",\"name\":\"text\",\"type\":9},"
          + "{\"id\":\"3:4\",\"name\":\"rank\",\"type\":5,\"flags\":262144}]}]}";
  private static final ObjectKey NOTE = new ObjectKey("Note", 1);

  private final SyncPrecedence precedence = new SyncPrecedence(ModelParser.parse(MODEL, "m.json"));

  @Test
  void isTheObjectsPrecedencePropertyAfterTheTransaction() {
    InMemoryObjectStore before = new InMemoryObjectStore();
    before.put(NOTE, new TreeMap<>(Map.of("rank", Value.of(3L))));

    Map<ObjectKey, Long> after =
        precedence.after(
            List.of(
                new Instruction.Update(NOTE, "text", Value.of("hi")),
                new Instruction.AddInteger(NOTE, "rank", 4)),
            before);

    assertThat(after).containsEntry(NOTE, 7L);
    assertThat(
            precedence.after(
                List.of(new Instruction.CreateObject(new ObjectKey("Other", 1))), before))
        .isEmpty();
  }

  @Test
  void aClientNeverWeakensItsPendingChangesOfAProperty() {
    LocalReplica replica = new LocalReplica(new InMemoryObjectStore());
    replica.applyLocal(
        new Changeset(
            1,
            0,
            1,
            1,
            List.of(
                new Instruction.CreateObject(NOTE),
                new Instruction.Update(NOTE, "text", Value.of("a"), 5))));

    List<Instruction> stamped =
        replica.stamp(
            List.of(
                new Instruction.Update(NOTE, "text", Value.of("b")),
                new Instruction.Update(NOTE, "rank", Value.of(1L))),
            key -> 1L);

    assertThat(stamped)
        .containsExactly(
            new Instruction.Update(NOTE, "text", Value.of("b"), 5),
            new Instruction.Update(NOTE, "rank", Value.of(1L), 1));
  }

  @Test
  void aModelWithTwoPrecedencePropertiesIsRefused() {
    String twice =
        MODEL.replace(
            "\"name\":\"text\",\"type\":9}", "\"name\":\"text\",\"type\":6,\"flags\":262144}");

    assertThatThrownBy(() -> ModelParser.parse(twice, "m.json"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("at most one SYNC_PRECEDENCE property");
  }
}

package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.Upload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every instruction and value survives the wire and the log unchanged. */
class CodecRoundTripTest {

  private static final ObjectKey TASK = new ObjectKey("Task", 42);

  private static final Changeset EVERYTHING =
      new Changeset(
          7,
          3,
          1_700_000_000_123L,
          5,
          List.of(
              new Instruction.CreateObject(TASK),
              new Instruction.Update(TASK, "text", Value.of("héllo")),
              new Instruction.Update(TASK, "done", Value.of(true)),
              new Instruction.Update(TASK, "priority", Value.of(Long.MIN_VALUE)),
              new Instruction.Update(TASK, "ratio", Value.of(0.25)),
              new Instruction.Update(TASK, "blob", Value.of(new byte[] {0, 1, (byte) 0xff})),
              new Instruction.Update(TASK, "text", Value.NULL),
              new Instruction.AddInteger(TASK, "priority", -3),
              new Instruction.AddInteger(TASK, "priority", 1, 4),
              new Instruction.Update(TASK, "text", Value.of("first"), 9),
              new Instruction.SetInsert(TASK, "tags", 9),
              new Instruction.SetErase(TASK, "tags", 9),
              new Instruction.SetClear(TASK, "tags"),
              new Instruction.Update(
                  TASK,
                  "labels",
                  new Value.Vector(List.of(Value.of("a"), Value.of(2L), Value.of(true)))),
              new Instruction.ArrayInsert(TASK, "labels", 1, Value.of(0.5)),
              new Instruction.ArraySet(TASK, "labels", 0, Value.of("b")),
              new Instruction.ArrayErase(TASK, "labels", 2),
              new Instruction.ArrayMove(TASK, "labels", 0, 1),
              new Instruction.EraseObject(TASK)));

  @Test
  void changesetsSurviveAProtocolFrame() {
    byte[] frame =
        Frames.encode(new ClientMessage(new Upload(1L, List.of(Bodies.encode(EVERYTHING)))));

    Upload upload = (Upload) Frames.decodeClient(frame).getBody();

    assertThat(upload.getChangesets().stream().map(Bodies::decode)).containsExactly(EVERYTHING);
  }

  @Test
  void historyEventsSurviveAKafkaRecord() throws Exception {
    HistoryEvent event = new HistoryEvent.Integrated(12, EVERYTHING, EVERYTHING.withBaseVersion(2));

    byte[] record = RecordCodec.encode(RecordCodec.history("tasks", 2, "token", event));

    assertThat(RecordCodec.event(RecordCodec.decodeHistory(record))).isEqualTo(event);
    HistoryEvent allocated = new HistoryEvent.IdentAllocated(3, 99, new ReplyTo("g", 1, 2));
    assertThat(
            RecordCodec.event(
                RecordCodec.decodeHistory(
                    RecordCodec.encode(RecordCodec.history("tasks", 2, "t", allocated)))))
        .isEqualTo(allocated);
    HistoryEvent decided =
        new HistoryEvent.TransactDecided(new ReplyTo("g", 1, 2), 7, false, "too late");
    assertThat(
            RecordCodec.event(
                RecordCodec.decodeHistory(
                    RecordCodec.encode(RecordCodec.history("tasks", 2, "t", decided)))))
        .isEqualTo(decided);
  }

  @Test
  void uploadRequestsSurviveAKafkaRecord() throws Exception {
    for (io.tributary.core.sequencing.UploadRequest request :
        List.of(
            new io.tributary.core.sequencing.UploadRequest.UploadChangesets(5, List.of(EVERYTHING)),
            new io.tributary.core.sequencing.UploadRequest.Transact(5, EVERYTHING),
            new io.tributary.core.sequencing.UploadRequest.AllocateIdent())) {
      byte[] record =
          RecordCodec.encode(RecordCodec.upload("tasks", new ReplyTo("g", 1, 2), request));

      assertThat(RecordCodec.request(RecordCodec.decodeUpload(record))).isEqualTo(request);
    }
  }

  @Test
  void storedSetsSurvive() {
    Value ids = Value.ids(List.of(3L, 1L, 2L));

    assertThat(ChangesetCodec.valueFromAvro(ChangesetCodec.toAvro(ids))).isEqualTo(ids);
  }

  @Test
  void garbageIsAMalformedFrameNotACrash() {
    assertThatThrownBy(() -> Frames.decodeClient(new byte[] {(byte) 0x80, (byte) 0x80, 0x7f}))
        .isInstanceOf(MalformedFrameException.class);
    byte[] valid = Frames.encode(new ClientMessage(new Upload(1L, List.of())));
    byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
    assertThatThrownBy(() -> Frames.decodeClient(trailing))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("trailing");
  }
}

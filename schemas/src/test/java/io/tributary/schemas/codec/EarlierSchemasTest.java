package io.tributary.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.UploadRecord;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Records that the first version of records.avsc wrote (history is kept forever) are read by
 * today's decoders, and today's new kinds round-trip.
 */
class EarlierSchemasTest {

  private static final Changeset CHANGESET =
      new Changeset(
          3,
          2,
          1_700,
          9,
          List.of(
              new Instruction.CreateObject(new ObjectKey("Task", 1)),
              new Instruction.Update(new ObjectKey("Task", 1), "text", Value.of("old"))));

  @Test
  void historyWrittenByTheFirstSchemaIsReadToday() throws Exception {
    HistoryRecord today =
        RecordCodec.history("tasks", 4, "token", new HistoryEvent.Integrated(5, CHANGESET));
    byte[] written = writtenBy(EarlierSchemas.earlier("records-1.avsc", name(today)), today);
    assertThat(written).isNotEqualTo(RecordCodec.encode(today)); // Another fingerprint.

    HistoryRecord read = RecordCodec.decodeHistory(written);

    assertThat(RecordCodec.event(read)).isEqualTo(new HistoryEvent.Integrated(5, CHANGESET));
    assertThat(read.getDataset()).isEqualTo("tasks");
  }

  @Test
  void uploadsWrittenByTheFirstSchemaAreReadToday() throws Exception {
    UploadRecord today =
        RecordCodec.upload(
            "tasks",
            new ReplyTo("g", 1, 2),
            new UploadRequest.UploadChangesets(9, List.of(CHANGESET)));
    byte[] written = writtenBy(EarlierSchemas.earlier("records-1.avsc", name(today)), today);

    assertThat(RecordCodec.request(RecordCodec.decodeUpload(written)))
        .isEqualTo(new UploadRequest.UploadChangesets(9, List.of(CHANGESET)));
  }

  @Test
  void backendWritesAndTheirAnswersRoundTrip() throws Exception {
    UploadRequest write = new UploadRequest.BackendWrite("order-17", CHANGESET);
    HistoryEvent decided =
        new HistoryEvent.WriteDecided(new ReplyTo("g", -4, 0), "order-17", 8, true);

    assertThat(
            RecordCodec.request(
                RecordCodec.decodeUpload(
                    RecordCodec.encode(
                        RecordCodec.upload("tasks", new ReplyTo("g", 1, 0), write)))))
        .isEqualTo(write);
    assertThat(
            RecordCodec.event(
                RecordCodec.decodeHistory(
                    RecordCodec.encode(RecordCodec.history("tasks", 1, "t", decided)))))
        .isEqualTo(decided);
  }

  private static String name(org.apache.avro.specific.SpecificRecord record) {
    return record.getSchema().getFullName();
  }

  /**
   * The record as a writer with {@code schema} encodes it: same data, that schema's fingerprint.
   */
  private static byte[] writtenBy(Schema schema, org.apache.avro.specific.SpecificRecord record)
      throws Exception {
    GenericData generic = GenericData.get();
    Object asGeneric = generic.deepCopy(schema, toGeneric(record, schema));
    ByteBuffer buffer = new BinaryMessageEncoder<Object>(generic, schema).encode(asGeneric);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** Re-reads the record's binary body with {@code schema}: what that writer would hold. */
  private static Object toGeneric(org.apache.avro.specific.SpecificRecord record, Schema schema)
      throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<Object>(record.getSchema())
        .write(record, encoder);
    encoder.flush();
    var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
    return new org.apache.avro.generic.GenericDatumReader<Object>(record.getSchema(), schema)
        .read(null, decoder);
  }
}

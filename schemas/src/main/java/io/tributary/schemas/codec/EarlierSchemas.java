package io.tributary.schemas.codec;

import io.tributary.schemas.Changeset;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.UploadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decoders of the Kafka records that also read what earlier versions of the schemas wrote: history
 * is kept forever, and uploads and downloads outlive a rolling upgrade. Each earlier {@code
 * records.avsc} is kept under {@code io/tributary/schemas/earlier/}; Avro resolves its records to
 * the current classes (a union's new branches are added at its end, so the old ones keep their
 * names).
 */
final class EarlierSchemas {

  /** The earlier versions of records.avsc, oldest first. */
  private static final List<String> EARLIER =
      List.of("records-1.avsc", "records-2.avsc", "records-3.avsc");

  static final BinaryMessageDecoder<HistoryRecord> HISTORY =
      decoder(HistoryRecord.getClassSchema(), "HistoryRecord");
  static final BinaryMessageDecoder<UploadRecord> UPLOADS =
      decoder(UploadRecord.getClassSchema(), "UploadRecord");
  static final BinaryMessageDecoder<DownloadRecord> DOWNLOADS =
      decoder(DownloadRecord.getClassSchema(), "DownloadRecord");

  private EarlierSchemas() {}

  private static <T extends SpecificRecord> BinaryMessageDecoder<T> decoder(
      Schema current, String name) {
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.get(), current);
    for (String file : EARLIER) {
      decoder.addSchema(earlier(file, "io.tributary.schemas." + name));
    }
    return decoder;
  }

  /** A record type of an earlier records.avsc, whose changesets are today's (unchanged since). */
  static Schema earlier(String file, String fullName) {
    Schema.Parser parser = new Schema.Parser();
    parser.parse(Changeset.getClassSchema().toString());
    try (InputStream in =
        EarlierSchemas.class.getResourceAsStream("/io/tributary/schemas/earlier/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing earlier schema " + file);
      }
      Schema union = parser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return union.getTypes().stream()
          .filter(type -> type.getFullName().equals(fullName))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(file + " has no " + fullName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.tributary.schemas.codec;

import io.tributary.core.ErrorCode;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.HistoryEvent.TransactDecided;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.HistoryEvent.WriteDecided;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.sequencing.UploadRequest.AllocateIdent;
import io.tributary.core.sequencing.UploadRequest.BackendWrite;
import io.tributary.core.sequencing.UploadRequest.Transact;
import io.tributary.core.sequencing.UploadRequest.UploadChangesets;
import io.tributary.schemas.BackendWriteRequest;
import io.tributary.schemas.DownloadRecord;
import io.tributary.schemas.EpochMarker;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.IdentAllocatedEvent;
import io.tributary.schemas.IntegratedEvent;
import io.tributary.schemas.ReplyAddress;
import io.tributary.schemas.SchemaVersionRecord;
import io.tributary.schemas.TransactDecidedEvent;
import io.tributary.schemas.TransactRequest;
import io.tributary.schemas.UploadRecord;
import io.tributary.schemas.UploadRejectedEvent;
import io.tributary.schemas.WriteDecidedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Kafka record values: Avro single-object encoding (a schema fingerprint, then the record), so a
 * reader can tell which schema version wrote a record after the schemas evolve.
 */
public final class RecordCodec {

  static {
    AvroTrust.ensure();
  }

  private RecordCodec() {}

  public static byte[] encode(UploadRecord record) {
    try {
      return bytes(UploadRecord.getEncoder().encode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static UploadRecord decodeUpload(byte[] bytes) throws IOException {
    return EarlierSchemas.UPLOADS.decode(bytes);
  }

  public static byte[] encode(HistoryRecord record) {
    try {
      return bytes(HistoryRecord.getEncoder().encode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encode(DownloadRecord record) {
    try {
      return bytes(DownloadRecord.getEncoder().encode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encode(SchemaVersionRecord record) {
    try {
      return bytes(SchemaVersionRecord.getEncoder().encode(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SchemaVersionRecord decodeSchemaVersion(byte[] bytes) throws IOException {
    return SchemaVersionRecord.getDecoder().decode(bytes);
  }

  public static DownloadRecord decodeDownload(byte[] bytes) throws IOException {
    return EarlierSchemas.DOWNLOADS.decode(bytes);
  }

  public static HistoryRecord decodeHistory(byte[] bytes) throws IOException {
    return EarlierSchemas.HISTORY.decode(bytes);
  }

  public static UploadRecord upload(String dataset, ReplyTo replyTo, UploadRequest request) {
    return new UploadRecord(dataset, toAvro(replyTo), requestToAvro(request));
  }

  private static Object requestToAvro(UploadRequest request) {
    if (request instanceof UploadChangesets upload) {
      return new io.tributary.schemas.UploadChangesets(
          upload.clientIdent(),
          ChangesetCodec.toAvro(upload.changesets()),
          upload.afterClientVersion());
    } else if (request instanceof Transact transact) {
      return new TransactRequest(
          transact.clientIdent(),
          ChangesetCodec.toAvro(transact.changeset()),
          transact.afterClientVersion());
    } else if (request instanceof BackendWrite write) {
      return new BackendWriteRequest(
          write.idempotencyKey(), ChangesetCodec.toAvro(write.changeset()));
    }
    return new io.tributary.schemas.AllocateIdent();
  }

  public static UploadRequest request(UploadRecord record) {
    if (record.getRequest() instanceof io.tributary.schemas.UploadChangesets upload) {
      return new UploadChangesets(
          upload.getClientIdent(),
          upload.getAfterClientVersion(),
          ChangesetCodec.fromAvro(upload.getChangesets()));
    } else if (record.getRequest() instanceof TransactRequest transact) {
      return new Transact(
          transact.getClientIdent(),
          transact.getAfterClientVersion(),
          ChangesetCodec.fromAvro(transact.getChangeset()));
    } else if (record.getRequest() instanceof BackendWriteRequest write) {
      return new BackendWrite(
          write.getIdempotencyKey(), ChangesetCodec.fromAvro(write.getChangeset()));
    }
    return new AllocateIdent();
  }

  public static HistoryRecord marker(long epoch, String token) {
    return new HistoryRecord("", epoch, token, new EpochMarker());
  }

  public static HistoryRecord history(
      String dataset, long epoch, String token, HistoryEvent event) {
    return new HistoryRecord(dataset, epoch, token, toAvro(event));
  }

  public static boolean isMarker(HistoryRecord record) {
    return record.getEvent() instanceof EpochMarker;
  }

  /** The record as gateways need it: without the uploaded original, which only sequencers read. */
  public static HistoryRecord forDownload(HistoryRecord record) {
    if (record.getEvent() instanceof IntegratedEvent integrated
        && integrated.getOriginal() != null) {
      return HistoryRecord.newBuilder(record)
          .setEvent(IntegratedEvent.newBuilder(integrated).setOriginal(null).build())
          .build();
    }
    return record;
  }

  /** The event of a history record that is not a marker. */
  public static HistoryEvent event(HistoryRecord record) {
    Object event = record.getEvent();
    if (event instanceof IntegratedEvent integrated) {
      return new Integrated(
          integrated.getVersion(),
          ChangesetCodec.fromAvro(integrated.getChangeset()),
          integrated.getOriginal() == null
              ? null
              : ChangesetCodec.fromAvro(integrated.getOriginal()),
          integrated.getIdempotencyKey());
    } else if (event instanceof IdentAllocatedEvent allocated) {
      return new IdentAllocated(
          allocated.getIdent(), allocated.getSalt(), fromAvro(allocated.getReplyTo()));
    } else if (event instanceof UploadRejectedEvent rejected) {
      return new UploadRejected(
          fromAvro(rejected.getReplyTo()),
          ErrorCode.ofCode(rejected.getCode()),
          rejected.getMessage());
    } else if (event instanceof TransactDecidedEvent decided) {
      return new TransactDecided(
          fromAvro(decided.getReplyTo()),
          decided.getClientVersion(),
          decided.getAccepted(),
          decided.getMessage());
    } else if (event instanceof WriteDecidedEvent decided) {
      return new WriteDecided(
          fromAvro(decided.getReplyTo()),
          decided.getIdempotencyKey(),
          decided.getVersion(),
          decided.getRepeated());
    }
    throw new IllegalArgumentException("not an event: " + event);
  }

  private static Object toAvro(HistoryEvent event) {
    if (event instanceof Integrated integrated) {
      return new IntegratedEvent(
          integrated.version(),
          ChangesetCodec.toAvro(integrated.changeset()),
          integrated.original() == null ? null : ChangesetCodec.toAvro(integrated.original()),
          integrated.idempotencyKey());
    } else if (event instanceof IdentAllocated allocated) {
      return new IdentAllocatedEvent(
          allocated.ident(), allocated.salt(), toAvro(allocated.replyTo()));
    } else if (event instanceof TransactDecided decided) {
      return new TransactDecidedEvent(
          toAvro(decided.replyTo()),
          decided.clientVersion(),
          decided.accepted(),
          decided.message());
    } else if (event instanceof WriteDecided decided) {
      return new WriteDecidedEvent(
          toAvro(decided.replyTo()),
          decided.idempotencyKey(),
          decided.version(),
          decided.repeated());
    }
    UploadRejected rejected = (UploadRejected) event;
    return new UploadRejectedEvent(
        toAvro(rejected.replyTo()), rejected.error().code(), rejected.message());
  }

  public static ReplyAddress toAvro(ReplyTo replyTo) {
    return new ReplyAddress(replyTo.gatewayId(), replyTo.connectionId(), replyTo.sessionId());
  }

  public static ReplyTo fromAvro(ReplyAddress address) {
    return new ReplyTo(address.getGatewayId(), address.getConnectionId(), address.getSessionId());
  }

  /** The bytes remaining in {@code buffer}, which is left as it is. */
  static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}

package io.tributary.schemas.codec;

import io.tributary.schemas.ClientMessage;
import io.tributary.schemas.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * WebSocket frames: each binary frame is one {@link ClientMessage} or {@link ServerMessage} in
 * plain Avro binary encoding, the protocol version being agreed at the handshake.
 */
public final class Frames {

  static {
    AvroTrust.ensure();
  }

  private static final SpecificDatumWriter<ClientMessage> CLIENT_WRITER =
      new SpecificDatumWriter<>(ClientMessage.class);
  private static final SpecificDatumReader<ClientMessage> CLIENT_READER =
      new SpecificDatumReader<>(ClientMessage.class);
  private static final SpecificDatumWriter<ServerMessage> SERVER_WRITER =
      new SpecificDatumWriter<>(ServerMessage.class);
  private static final SpecificDatumReader<ServerMessage> SERVER_READER =
      new SpecificDatumReader<>(ServerMessage.class);

  private Frames() {}

  public static byte[] encode(ClientMessage message) {
    return encode(message, CLIENT_WRITER);
  }

  public static byte[] encode(ServerMessage message) {
    return encode(message, SERVER_WRITER);
  }

  /**
   * Decodes a client frame; throws {@link MalformedFrameException} for anything else, and for a
   * frame not in the one encoding its message has (invalid UTF-8, an over-long number, a boolean
   * other than 0 or 1): what the server stores and passes on must be what the client sent.
   */
  public static ClientMessage decodeClient(byte[] frame) {
    ClientMessage message = decode(frame, CLIENT_READER);
    if (!java.util.Arrays.equals(encode(message), frame)) {
      throw new MalformedFrameException(NOT_CANONICAL);
    }
    return message;
  }

  static final String NOT_CANONICAL =
      "not in Avro's canonical binary encoding (invalid UTF-8, an over-long number, or a boolean"
          + " other than 0 or 1)";

  public static ServerMessage decodeServer(byte[] frame) {
    return decode(frame, SERVER_READER);
  }

  private static <T> byte[] encode(T message, SpecificDatumWriter<T> writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(message, encoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static <T> T decode(byte[] frame, SpecificDatumReader<T> reader) {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(frame, null);
    try {
      T message = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new MalformedFrameException("trailing bytes after the message");
      }
      return message;
    } catch (IOException | RuntimeException e) {
      // Avro reports garbage as EOF, negative lengths, bad union indexes or limit violations.
      if (e instanceof MalformedFrameException malformed) {
        throw malformed;
      }
      throw new MalformedFrameException("cannot decode message: " + e.getMessage());
    }
  }
}

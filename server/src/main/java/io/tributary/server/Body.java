package io.tributary.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** A request's body, read whole up to a small bound: the admin port's requests are all small. */
final class Body {

  static final int MAX_BYTES = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Body() {}

  /** The body as text; a 413 refusal (and the connection closed) past {@value #MAX_BYTES}. */
  static Future<String> text(HttpServerRequest request) {
    Promise<String> read = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BYTES) {
            if (!read.future().isComplete() && !request.response().headWritten()) {
              // Set before the refusal is answered (which happens within tryFail): the rest of the
              // body is not worth reading.
              request.response().putHeader("Connection", "close");
            }
            read.tryFail(
                new AdminAccess.Refused(413, "a request body has at most " + MAX_BYTES + " bytes"));
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(end -> read.tryComplete(body.toString()));
    request.exceptionHandler(read::tryFail);
    return read.future();
  }

  /** The body as a JSON object; a 400 refusal if it is not one. */
  static Future<JsonNode> read(HttpServerRequest request) {
    return text(request)
        .map(
            text -> {
              try {
                JsonNode json = JSON.readTree(text);
                if (json == null || !json.isObject()) {
                  throw new IllegalArgumentException("the body must be a JSON object");
                }
                return json;
              } catch (JsonProcessingException e) {
                // The original message only: the full one may quote the body, a password perhaps.
                throw new IllegalArgumentException(
                    "the body is not JSON: " + e.getOriginalMessage());
              }
            });
  }
}

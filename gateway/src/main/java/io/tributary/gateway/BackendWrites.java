package io.tributary.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.backend.WriteJson;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.model.SchemaViolation;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest.BackendWrite;
import io.tributary.core.session.ServerConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A backend's write from its JSON to its answer from history, the same for the HTTP API and the
 * commands topic: read against the current schema, published with a reply address of its own, and
 * answered once its {@code WriteDecided} (or refusal) comes back through the downloads, that is
 * once it is materialized.
 */
final class BackendWrites {

  /** How long a write waits for its answer before it gives up (the write may still land). */
  static final long TIMEOUT_MILLIS = 30_000;

  /** What a write came to: an HTTP status and a JSON body, the same on the commands topic. */
  record Outcome(int status, JsonObject body) {
    static Outcome error(int status, String error, String message) {
      return new Outcome(status, new JsonObject().put("error", error).put("message", message));
    }
  }

  static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final String gatewayId;
  private final Uploads uploads;
  private final BackendReplies replies;
  private final CurrentSchema schema;

  BackendWrites(
      Vertx vertx,
      String gatewayId,
      Uploads uploads,
      BackendReplies replies,
      CurrentSchema schema) {
    this.vertx = vertx;
    this.gatewayId = gatewayId;
    this.uploads = uploads;
    this.replies = replies;
    this.schema = schema;
  }

  /**
   * Writes {@code body} to {@code dataset} once per {@code idempotencyKey} of {@code caller} (a
   * caller's keys are its own: no caller can take another's); on a Vert.x context. The body is read
   * on a worker thread: it may be 16 MiB.
   */
  Future<Outcome> write(String dataset, String caller, String idempotencyKey, byte[] body) {
    if (!ServerConnection.DATASET_NAME.matcher(dataset).matches()) {
      return Future.succeededFuture(
          Outcome.error(
              400,
              "bad_dataset_name",
              "dataset names are 1-128 letters, digits, '.', '_' or '-', starting with a letter or"
                  + " digit"));
    }
    if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      return Future.succeededFuture(
          Outcome.error(
              400,
              "bad_idempotency_key",
              "the idempotency key must be 1-200 visible ASCII characters"));
    }
    return vertx
        // Ordered: writes of one context (the commands of a poll) are published in their order.
        .executeBlocking(() -> changeset(body), true)
        .compose(
            changeset -> publish(dataset, caller + " " + idempotencyKey, idempotencyKey, changeset),
            failure -> Future.succeededFuture(refusal(failure)));
  }

  private static Outcome refusal(Throwable failure) {
    if (failure instanceof IOException e) {
      return Outcome.error(
          400, "bad_json", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    } else if (failure instanceof WriteJson.BadWrite || failure instanceof SchemaViolation) {
      return Outcome.error(400, "bad_write", failure.getMessage());
    }
    return Outcome.error(500, "failed", String.valueOf(failure));
  }

  /** The body as a changeset under the names history stores, read with one schema snapshot. */
  private Changeset changeset(byte[] body) throws IOException {
    CurrentSchema.Snapshot now = schema.snapshot();
    WriteJson.Write write = WriteJson.read(JSON.readTree(body), now.version().model());
    Changeset changeset =
        new Changeset(
            0,
            write.baseVersion(),
            System.currentTimeMillis(),
            BackendWrite.SERVER_ORIGIN,
            write.instructions());
    now.upload().validator().validate(changeset);
    return now.upload().renames().toStored(changeset);
  }

  /**
   * @param key the idempotency key history keeps: the caller's, prefixed with the caller
   * @param given the caller's key, which the answer says
   */
  private Future<Outcome> publish(String dataset, String key, String given, Changeset changeset) {
    Promise<Outcome> outcome = Promise.promise();
    Promise<HistoryEvent> answer = Promise.promise();
    long id = replies.open(vertx.getOrCreateContext(), answer);
    long timer =
        vertx.setTimer(
            TIMEOUT_MILLIS,
            ignored -> {
              replies.close(id);
              outcome.tryComplete(
                  Outcome.error(
                      504,
                      "timeout",
                      "no answer within "
                          + TIMEOUT_MILLIS / 1000
                          + " s; the write may still be applied: retry with the same idempotency"
                          + " key"));
            });
    uploads
        .publish(dataset, new ReplyTo(gatewayId, id, 0), new BackendWrite(key, changeset))
        .onFailure(
            failure -> {
              replies.close(id);
              vertx.cancelTimer(timer);
              outcome.tryComplete(
                  Outcome.error(
                      503, "unavailable", "cannot publish the write: " + failure.getMessage()));
            });
    answer
        .future()
        .onSuccess(
            event -> {
              vertx.cancelTimer(timer);
              outcome.tryComplete(outcome(dataset, given, event));
            });
    return outcome.future();
  }

  private static Outcome outcome(String dataset, String given, HistoryEvent event) {
    if (event instanceof HistoryEvent.WriteDecided decided) {
      return new Outcome(
          decided.repeated() ? 200 : 201,
          new JsonObject()
              .put("dataset", dataset)
              .put("version", decided.version())
              .put("idempotencyKey", given)
              .put("repeated", decided.repeated()));
    }
    HistoryEvent.UploadRejected rejected = (HistoryEvent.UploadRejected) event;
    return new Outcome(
        409,
        new JsonObject()
            .put("error", "refused")
            .put("code", rejected.error().code())
            .put("message", rejected.message()));
  }
}

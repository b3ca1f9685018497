package io.tributary.gateway;

import io.tributary.core.sequencing.HistoryEvent;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend writes of this gateway that wait for their answer from history. Each has a negative
 * request id, the reply address's connection id, so that it can never be taken for a client
 * connection's (those count up from 0).
 */
final class BackendReplies {

  private record Waiting(Context context, Promise<HistoryEvent> answer) {}

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();

  /** A new request id, waiting on {@code context} for its answer. */
  long open(Context context, Promise<HistoryEvent> answer) {
    long id = ids.decrementAndGet();
    waiting.put(id, new Waiting(context, answer));
    return id;
  }

  /** Stops waiting for a request (answered, timed out or failed to publish). */
  void close(long id) {
    waiting.remove(id);
  }

  static boolean isBackendRequest(long connectionId) {
    return connectionId < 0;
  }

  /** Hands an answer from history to its request, on the request's context. */
  void answer(long id, HistoryEvent event) {
    Waiting request = waiting.remove(id);
    if (request != null) {
      request.context().runOnContext(ignored -> request.answer().tryComplete(event));
    }
  }
}

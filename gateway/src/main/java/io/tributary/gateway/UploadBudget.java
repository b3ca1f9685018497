package io.tributary.gateway;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The changesets that an event loop's connections have published and their clients have not yet
 * seen acknowledged, against a limit for all of them: under overload the server accepts what it can
 * answer within bounded time, and the rest waits in the writers' own sockets and SDKs.
 *
 * <p>A connection over the budget is not read, unless it has nothing in flight: so every writer,
 * the bystander beside a flood too, always gets its next UPLOAD in, and the budget is overshot by
 * at most one UPLOAD per connection. Acknowledgements that bring the count under the limit wake as
 * many waiting connections as there is room for, in the order they began to wait; those left wait
 * for the next (each has changesets in flight, whose acknowledgements will come).
 *
 * <p>Used on its event loop only, as are the connections it serves.
 */
final class UploadBudget {

  private final int limit;
  private int inFlight;
  private final Set<Runnable> waiting = new LinkedHashSet<>();

  UploadBudget(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("an upload budget must be positive, not " + limit);
    }
    this.limit = limit;
  }

  /**
   * The budget of one of {@code eventLoops} event loops, for a gateway-wide limit: each loop counts
   * its own connections, with no lock shared between loops.
   */
  static UploadBudget share(int gatewayLimit, int eventLoops) {
    return new UploadBudget(Math.max(1, (gatewayLimit + eventLoops - 1) / eventLoops));
  }

  /** Whether a connection with {@code ownInFlight} changesets out may be read. */
  boolean admits(int ownInFlight) {
    return ownInFlight == 0 || inFlight < limit;
  }

  /** A connection that {@link #admits} refused asks to be woken when the budget frees up. */
  void await(Runnable wake) {
    waiting.add(wake);
  }

  /** A closed connection waits no more. */
  void leave(Runnable wake) {
    waiting.remove(wake);
  }

  /** Changesets published (positive) or answered and given up with their connection (negative). */
  void changed(int delta) {
    inFlight += delta;
    if (delta < 0 && inFlight < limit && !waiting.isEmpty()) {
      List<Runnable> woken = new ArrayList<>();
      Iterator<Runnable> next = waiting.iterator();
      for (int room = limit - inFlight; room > 0 && next.hasNext(); room--) {
        woken.add(next.next());
        next.remove();
      }
      woken.forEach(Runnable::run); // After the removals: a woken connection may wait again.
    }
  }

  int inFlight() {
    return inFlight;
  }

  int limit() {
    return limit;
  }
}

package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.model.Model;
import io.tributary.core.model.Renames;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.session.SessionEvent;
import io.tributary.kafka.SchemaVersions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** What the downloads listener hands to event loops is bounded: past it, the listener waits. */
class SessionRegistryTest {

  private final SessionRegistry registry =
      new SessionRegistry(
          "gateway-test",
          new CurrentSchema(
              new SchemaVersions.Version(
                  0,
                  new Model(List.of(), 1, io.tributary.core.model.RetiredUids.NONE),
                  Renames.NONE)));

  /** A connection whose event loop runs nothing until told to. */
  private final class StalledConnection implements SessionRegistry.Sessions {
    final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();

    @Override
    public long connectionId() {
      return 1;
    }

    @Override
    public void deliver(long binding, SessionEvent event, Runnable taken) {
      queued.add(taken);
    }

    void runSome(int count) {
      for (int i = 0; i < count; i++) {
        queued.poll().run();
      }
    }
  }

  @Test
  void theListenerWaitsWhileEventLoopsAreBehindAndGoesOnWhenTheyCatchUp() {
    StalledConnection stalled = new StalledConnection();
    registry.listen("tasks", stalled, 1);
    registry.listen("tasks", stalled, 2);
    int changesets = SessionRegistry.MAX_QUEUED_DELIVERIES / 2;
    for (long version = 1; version <= changesets; version++) {
      registry.dispatch("tasks", integrated(version), version, version);
    }
    assertThat(registry.queuedDeliveries()).isEqualTo(SessionRegistry.MAX_QUEUED_DELIVERIES);

    CompletableFuture<Void> listener =
        CompletableFuture.runAsync(() -> registry.awaitRoom(() -> true));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !listener.isDone());

    stalled.runSome(1);
    await().atMost(Duration.ofSeconds(5)).until(listener::isDone);
    assertThat(registry.queuedDeliveries()).isEqualTo(SessionRegistry.MAX_QUEUED_DELIVERIES - 1);
  }

  @Test
  void aListenerThatStopsDoesNotWaitForRoom() {
    StalledConnection stalled = new StalledConnection();
    registry.listen("tasks", stalled, 1);
    for (long version = 1; version <= SessionRegistry.MAX_QUEUED_DELIVERIES; version++) {
      registry.dispatch("tasks", integrated(version), version, version);
    }
    CompletableFuture<Void> listener =
        CompletableFuture.runAsync(() -> registry.awaitRoom(() -> false));
    await().atMost(Duration.ofSeconds(5)).until(listener::isDone);
  }

  private static HistoryEvent.Integrated integrated(long version) {
    return new HistoryEvent.Integrated(version, new Changeset(1, 0, version, 9, List.of()));
  }
}

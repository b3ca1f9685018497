package io.tributary.client;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.session.ClientEffect;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's listeners, called in order on a thread of their own: never under the client's lock, so
 * that a listener that blocks, or calls back into the client, cannot stop or deadlock it.
 */
final class Listeners implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final ExecutorService callbacks =
      Executors.newSingleThreadExecutor(DaemonThreads.named("tributary-client-callbacks"));

  volatile Consumer<ServerMessage.Error> error = ignored -> {};
  volatile Consumer<Changeset> remoteChange = ignored -> {};
  volatile Consumer<SyncClient.ConnectionState> connection = ignored -> {};
  volatile Consumer<SyncClient.DownloadProgress> progress = ignored -> {};
  volatile Consumer<SyncClient.RefusedChange> refused = ignored -> {};
  private final Map<String, List<Consumer<Long>>> byEntity = new ConcurrentHashMap<>();

  void onChange(String entity, Consumer<Long> listener) {
    byEntity.computeIfAbsent(entity, name -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Tells the app of an effect that is news to it; others are not for the app. */
  void tell(ClientEffect effect) {
    if (effect instanceof ClientEffect.ConnectionChanged changed) {
      SyncClient.ConnectionState state =
          SyncClient.ConnectionState.valueOf(changed.connection().name());
      call(() -> connection.accept(state));
    } else if (effect instanceof ClientEffect.ErrorReceived received) {
      call(() -> error.accept(received.error()));
    } else if (effect instanceof ClientEffect.Changed changed) {
      if (changed.remote()) {
        call(() -> remoteChange.accept(changed.changeset()));
      }
      tellEntities(changed.changeset());
    } else if (effect instanceof ClientEffect.Progress p) {
      SyncClient.DownloadProgress now =
          new SyncClient.DownloadProgress(
              p.serverVersion(), p.latestServerVersion(), p.bytesLeft());
      call(() -> progress.accept(now));
    } else if (effect instanceof ClientEffect.Refused r) {
      SyncClient.RefusedChange change =
          new SyncClient.RefusedChange(r.changeset(), r.error().code(), r.error().message());
      call(() -> refused.accept(change));
    }
  }

  private void tellEntities(Changeset changeset) {
    if (byEntity.isEmpty()) {
      return;
    }
    Set<ObjectKey> touched = new LinkedHashSet<>();
    changeset.instructions().forEach(instruction -> touched.add(instruction.object()));
    for (ObjectKey key : touched) {
      for (Consumer<Long> listener : byEntity.getOrDefault(key.entity(), List.of())) {
        call(() -> listener.accept(key.id()));
      }
    }
  }

  private void call(Runnable listener) {
    if (callbacks.isShutdown()) {
      return;
    }
    callbacks.execute(
        () -> {
          try {
            listener.run();
          } catch (RuntimeException e) {
            LOG.warn("A listener of the sync client failed: {}", e.toString());
          }
        });
  }

  /** Calls nothing more: listeners not yet called are dropped. */
  @Override
  public void close() {
    callbacks.shutdownNow();
  }
}

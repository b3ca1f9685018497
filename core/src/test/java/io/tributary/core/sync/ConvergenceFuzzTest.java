package io.tributary.core.sync;

import io.tributary.core.auth.Admission;
import io.tributary.core.auth.Identity;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.Renames;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.session.Backoff;
import io.tributary.core.session.CatchUpPage;
import io.tributary.core.session.ClientEffect;
import io.tributary.core.session.ClientSession;
import io.tributary.core.session.ConnectionLimits;
import io.tributary.core.session.HistoryItem;
import io.tributary.core.session.ReadFailure;
import io.tributary.core.session.ReadRequest;
import io.tributary.core.session.ServerConnection;
import io.tributary.core.session.SessionEffect;
import io.tributary.core.session.SessionEvent;
import io.tributary.core.session.StatePage;
import io.tributary.core.session.UploadSchema;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.testing.FuzzRounds;
import io.tributary.core.testing.MemoryCopy;
import io.tributary.core.testing.RandomInstructions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * The real machines of both sides in memory: clients ({@link ClientSession}) write, connect and
 * lose their connections; each connection is a {@link ServerConnection}; a {@link DatasetSequencer}
 * integrates what they publish; live changesets reach the sessions late or never; reads of history
 * and state are answered in any order. When everyone is back online and quiet, every client must
 * hold exactly the server's state and nothing pending. A diverging round is cut down to its
 * shortest failing prefix, printed with the command that replays it.
 *
 * <p>{@code -Dfuzz.sessionRounds=N} (default 200), {@code -Dfuzz.seed=S}, {@code
 * -Dfuzz.roundSeed=R} to replay one round.
 */
class ConvergenceFuzzTest {

  @Test
  void clientsAndServerMachinesConverge() {
    FuzzRounds.run(
        "ConvergenceFuzzTest",
        "fuzz.sessionRounds",
        200,
        300,
        (random, clients, operations) -> new Simulation(random, clients, operations).run());
  }

  /** The salt of a version in this simulation's history. */
  static long salt(long version) {
    return version == 0 ? 0 : 7919 * version + 13;
  }

  /** A history entry as the server's machine sees it, with its changeset for the client. */
  record Entry(long version, Changeset changeset) implements HistoryItem {
    @Override
    public long salt() {
      return ConvergenceFuzzTest.salt(version);
    }

    @Override
    public long historyBytes() {
      return 100 * version;
    }

    @Override
    public long originIdent() {
      return changeset.originIdent();
    }

    @Override
    public long clientVersion() {
      return changeset.clientVersion();
    }
  }

  /** A page of a state snapshot: its objects and where the next page starts. */
  record Page(
      long serverVersion,
      long salt,
      long uploadProgress,
      List<ServerMessage.StateObject> snapshot,
      int from,
      int to)
      implements StatePage {
    @Override
    public boolean last() {
      return to >= snapshot.size();
    }
  }

  private static final class Simulation {
    final Random random;
    final int operations;
    final List<String> trace = new ArrayList<>();
    final DatasetSequencer sequencer = new DatasetSequencer(1_000_000);
    final List<Entry> history = new ArrayList<>();
    final InMemoryObjectStore serverState = new InMemoryObjectStore();
    final Map<Long, Link> links = new HashMap<>();
    final List<Client> clients = new ArrayList<>();
    long lastLink;

    Simulation(Random random, int clientCount, int operations) {
      this.random = random;
      this.operations = operations;
      for (int i = 0; i < clientCount; i++) {
        clients.add(new Client(i));
      }
    }

    Optional<String> run() {
      clients.forEach(client -> client.handle(client.session.connect()));
      for (int step = 0; step < operations; step++) {
        step();
      }
      return settle();
    }

    void step() {
      Client client = clients.get(random.nextInt(clients.size()));
      int choice = random.nextInt(100);
      if (choice < 22) {
        client.write();
      } else if (choice < 42) {
        client.deliverUp();
      } else if (choice < 62) {
        client.deliverDown();
      } else if (choice < 82) {
        if (client.link != null) {
          client.link.runEvent();
        }
      } else if (choice < 88) {
        client.fireReconnect();
      } else if (choice < 91) {
        client.dropConnection();
      } else if (choice < 93) {
        trace.add("client " + client.name + " goes offline");
        client.handle(client.session.disconnect());
      } else if (choice < 96) {
        trace.add("client " + client.name + " comes online");
        client.handle(client.session.connect());
      } else {
        client.transact();
      }
    }

    /** Everyone online until nothing moves; then every copy must equal the server's state. */
    Optional<String> settle() {
      clients.forEach(client -> client.handle(client.session.connect()));
      long waiter = 0;
      for (int i = 0; i < 100_000 && !quiet(); i++) {
        for (Client client : clients) {
          if (i % 50 == 0) {
            client.handle(client.session.awaitSynced(++waiter)); // As awaitSynced does.
          }
          client.fireReconnect();
          client.deliverUp();
          if (client.link != null) {
            client.link.runEvent();
          }
          client.deliverDown();
        }
      }
      for (Client client : clients) {
        SortedMap<ObjectKey, SortedMap<String, Value>> objects = client.store.snapshot();
        if (!objects.equals(serverState.snapshot()) || client.replica.pendingCount() > 0) {
          return Optional.of(
              String.format(
                  "client %s: %s, pending %s, connection %s%nserver at v%d: %s%n"
                      + "what happened:%n%s",
                  client.name,
                  objects,
                  client.replica.pending(),
                  client.session.connection(),
                  history.size(),
                  serverState.snapshot(),
                  String.join("\n", trace)));
        }
      }
      return Optional.empty();
    }

    boolean quiet() {
      for (Client client : clients) {
        if (client.replica.pendingCount() > 0
            || client.reconnectPending
            || client.link == null
            || !client.link.quiet()
            || client.replica.serverVersion() < history.size()) {
          return false;
        }
      }
      return true;
    }

    /** The sequencer takes a request; the materializer applies and publishes what it decided. */
    void publish(ReplyTo replyTo, UploadRequest request) {
      for (HistoryEvent event : sequencer.handle(replyTo, request, random::nextLong)) {
        if (event instanceof HistoryEvent.Integrated integrated) {
          Entry entry = new Entry(integrated.version(), integrated.changeset());
          history.add(entry);
          ChangesetApplier.apply(integrated.changeset(), serverState);
          trace.add("server integrates v" + entry.version() + " " + entry.changeset());
          for (Link link : links.values()) {
            link.live(entry);
          }
        } else if (event instanceof HistoryEvent.IdentAllocated allocated) {
          reply(
              allocated.replyTo(),
              new SessionEvent.IdentAllocated(allocated.ident(), allocated.salt()));
        } else if (event instanceof HistoryEvent.TransactDecided decided) {
          reply(
              decided.replyTo(),
              new SessionEvent.TransactDecided(
                  decided.clientVersion(), decided.accepted(), decided.message()));
        } else if (event instanceof HistoryEvent.UploadRejected rejected) {
          reply(
              rejected.replyTo(),
              new SessionEvent.UploadRejected(rejected.error(), rejected.message()));
        }
      }
    }

    void reply(ReplyTo replyTo, SessionEvent event) {
      Link link = links.get(replyTo.connectionId());
      if (link != null) {
        link.later(replyTo.sessionId(), event);
      }
    }

    long lastClientVersion(long ident, long upTo) {
      long progress = 0;
      for (Entry entry : history.subList(0, (int) upTo)) {
        if (entry.originIdent() == ident) {
          progress = entry.clientVersion();
        }
      }
      return progress;
    }

    /** One WebSocket: the server's machine, and what travels both ways. */
    final class Link {
      final long id = ++lastLink;
      final Client client;
      final ServerConnection server;
      final ArrayDeque<ClientMessage> up = new ArrayDeque<>();
      final ArrayDeque<ServerMessage> down = new ArrayDeque<>();
      final List<Runnable> events = new ArrayList<>();

      /** What this connection published, in order: one producer keeps a partition's order. */
      final ArrayDeque<Runnable> publishes = new ArrayDeque<>();

      final Set<Long> listening = new HashSet<>();
      boolean closedByServer;

      Link(Client client) {
        this.client = client;
        this.server =
            new ServerConnection(
                "sim",
                id,
                ConnectionLimits.DEFAULTS,
                Admission.UNSECURED,
                Identity.UNSECURED,
                java.time.Instant.EPOCH,
                () -> new UploadSchema(changeset -> {}, Renames.NONE));
        links.put(id, this);
      }

      boolean quiet() {
        return up.isEmpty() && down.isEmpty() && events.isEmpty() && publishes.isEmpty();
      }

      void later(long binding, SessionEvent event) {
        events.add(() -> handle(server.on(binding, event)));
      }

      void live(Entry entry) {
        for (long binding : listening) {
          if (random.nextInt(10) > 0) { // Sometimes lost: a catch-up must find it.
            later(binding, new SessionEvent.Live(entry));
          }
        }
      }

      /** Runs one thing under way, in any order but for the publishes among themselves. */
      void runEvent() {
        int choice = random.nextInt(events.size() + 1);
        if (choice < events.size()) {
          events.remove(choice).run();
        } else if (!publishes.isEmpty()) {
          publishes.poll().run();
        }
      }

      void close() {
        handle(server.close());
        links.remove(id);
        events.clear();
        publishes.forEach(Runnable::run); // Already with the producer: they still arrive.
        publishes.clear();
      }

      void handle(List<SessionEffect> effects) {
        for (SessionEffect effect : effects) {
          if (effect instanceof SessionEffect.Send send) {
            down.add(send.message());
          } else if (effect instanceof SessionEffect.SendDownload download) {
            List<ServerMessage.DownloadedChangeset> changesets = new ArrayList<>();
            for (HistoryItem item : download.changesets()) {
              changesets.add(
                  new ServerMessage.DownloadedChangeset(
                      item.version(), ((Entry) item).changeset()));
            }
            down.add(new ServerMessage.Download(download.header(), changesets));
          } else if (effect instanceof SessionEffect.SendState state) {
            Page page = (Page) state.page();
            down.add(
                new ServerMessage.State(
                    state.header(), page.snapshot().subList(page.from(), page.to())));
          } else if (effect instanceof SessionEffect.Publish publish) {
            publishes.add(() -> publish(publish.replyTo(), publish.request()));
          } else if (effect instanceof SessionEffect.Read read) {
            events.add(() -> handle(server.on(read.binding(), answer(read.request()))));
          } else if (effect instanceof SessionEffect.Listen listen) {
            listening.add(listen.binding());
          } else if (effect instanceof SessionEffect.Ended ended) {
            listening.remove(ended.binding());
          } else if (effect instanceof SessionEffect.AwaitDrain await) {
            later(await.binding(), new SessionEvent.Drained());
          } else if (effect instanceof SessionEffect.CloseConnection close) {
            down.add(new ServerMessage.Error(0, close.error(), close.message()));
            closedByServer = true;
            links.remove(id);
          }
        }
      }

      /** The materializer's read API, answering now. */
      SessionEvent answer(ReadRequest request) {
        long head = history.size();
        if (request instanceof ReadRequest.ReadProgress progress) {
          return new SessionEvent.ProgressRead(
              progress.query(), head, lastClientVersion(progress.clientIdent(), head));
        } else if (request instanceof ReadRequest.FetchHistory fetch) {
          if (fetch.after() > head || salt(fetch.after()) != fetch.afterSalt()) {
            return new SessionEvent.ReadFailed(request, ReadFailure.HISTORY_DIVERGED, "diverged");
          }
          int to = (int) Math.min(head, fetch.after() + 1 + random.nextInt(4));
          return new SessionEvent.PageRead(
              new CatchUpPage(
                  head,
                  100 * head,
                  100 * fetch.after(),
                  lastClientVersion(fetch.clientIdent(), head),
                  history.subList((int) fetch.after(), to)));
        } else if (request instanceof ReadRequest.FetchState state) {
          List<ServerMessage.StateObject> snapshot = new ArrayList<>();
          serverState
              .snapshot()
              .forEach(
                  (key, properties) ->
                      snapshot.add(new ServerMessage.StateObject(key, properties)));
          return new SessionEvent.StatePageRead(
              page(head, lastClientVersion(state.clientIdent(), head), snapshot, 0));
        }
        Page previous = (Page) ((ReadRequest.FetchStateNext) request).previous();
        return new SessionEvent.StatePageRead(
            page(
                previous.serverVersion(),
                previous.uploadProgress(),
                previous.snapshot(),
                previous.to()));
      }

      Page page(long version, long progress, List<ServerMessage.StateObject> snapshot, int from) {
        int to = Math.min(snapshot.size(), from + 1 + random.nextInt(3));
        return new Page(version, salt(version), progress, snapshot, from, to);
      }
    }

    /** A client: its machine, its copy in memory, and its current link. */
    final class Client {
      final String name;
      final MemoryCopy copy = new MemoryCopy();
      final InMemoryObjectStore store = (InMemoryObjectStore) copy.objects();
      final LocalReplica replica = copy.replica();
      final ClientSession session;
      long wallClock;
      Link link;
      boolean reconnectPending;

      Client(int index) {
        this.name = "c" + index;
        // Mostly close clocks, sometimes a device an hour ahead or behind.
        this.wallClock =
            10_000_000
                + (random.nextInt(4) == 0 ? (random.nextBoolean() ? 1 : -1) * 3_600_000L : 0);
        this.session =
            new ClientSession(
                "sim",
                copy,
                null,
                new HybridClock(() -> wallClock += random.nextInt(2)),
                Backoff.DEFAULT,
                random::nextDouble);
      }

      void write() {
        List<Instruction> instructions = new ArrayList<>();
        InMemoryObjectStore scratch = store.copy(); // What the transaction sees as it goes.
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          Instruction instruction = RandomInstructions.next(random, scratch, 4);
          instructions.add(instruction);
          ChangesetApplier.apply(new Changeset(0, 0, 0, 0, List.of(instruction)), scratch);
        }
        if (session.transacting()) {
          return; // The SDK makes a writer wait for the verdict.
        }
        handle(session.write(instructions));
        trace.add(
            "client " + name + " writes v" + copy.meta().lastClientVersion() + " " + instructions);
      }

      void transact() {
        if (session.connection() != ClientEffect.Connection.CONNECTED || session.transacting()) {
          return;
        }
        try {
          handle(session.transact(List.of(new Instruction.CreateObject(new ObjectKey("Task", 9)))));
          trace.add("client " + name + " transacts");
        } catch (IllegalStateException notIdentified) {
          // Not identified yet: the app is told to wait.
        }
      }

      void deliverUp() {
        if (link != null && !link.up.isEmpty()) {
          ClientMessage message = link.up.poll();
          trace.add("server gets from " + name + " " + message);
          if (!link.closedByServer) {
            link.handle(link.server.on(message));
          }
        }
      }

      void deliverDown() {
        if (link == null) {
          return;
        }
        if (link.down.isEmpty()) {
          if (link.closedByServer) {
            link = null;
            handle(session.closed());
          }
          return;
        }
        ServerMessage message = link.down.poll();
        trace.add("client " + name + " gets " + message);
        handle(session.received(message));
      }

      void fireReconnect() {
        if (reconnectPending) {
          reconnectPending = false;
          handle(session.reconnectDue());
        }
      }

      /** The network drops the connection: both ends learn it. */
      void dropConnection() {
        if (link != null) {
          trace.add("client " + name + " loses its connection");
          link.close();
          link = null;
          handle(session.closed());
        }
      }

      void handle(List<ClientEffect> effects) {
        for (ClientEffect effect : effects) {
          if (effect instanceof ClientEffect.Open) {
            link = new Link(this);
            handle(session.opened(null));
          } else if (effect instanceof ClientEffect.Close) {
            if (link != null) {
              link.close();
              link = null;
            }
          } else if (effect instanceof ClientEffect.Send send) {
            if (link != null) {
              link.up.add(send.message());
            }
          } else if (effect instanceof ClientEffect.ScheduleReconnect) {
            reconnectPending = true;
          } else if (effect instanceof ClientEffect.CancelReconnect) {
            reconnectPending = false;
          }
        }
      }
    }
  }
}

package io.tributary.core.sync;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HistoryEntry;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.SequencerSnapshot;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import io.tributary.core.testing.FuzzRounds;
import io.tributary.core.testing.RandomInstructions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Simulated clients and a sequencer, in process: random local changes, uploads, downloads and
 * reconnects in random order. When everyone has uploaded and downloaded everything, every client
 * must hold exactly the server's state. A diverging round is cut down to its shortest failing
 * prefix, printed with the command that replays it ({@code -Dfuzz.roundSeed}).
 */
class ReplicaConvergenceFuzzTest {

  private static final ReplyTo NOWHERE = new ReplyTo("fuzz", 0, 0);

  @Test
  void clientsConvergeWithTheServer() {
    FuzzRounds.run(
        "ReplicaConvergenceFuzzTest",
        "fuzz.rounds",
        1_000,
        200,
        (random, clients, operations) -> new Simulation(random, clients, operations).run());
  }

  private static final class Simulation {
    private final Random random;
    private final int operations;
    private static final int WINDOW = 1_000_000;

    /**
     * The sequencer that decides. Now and then it is replaced, as a takeover replaces it: restored
     * from a checkpoint taken earlier, plus the log after it, its window read from the log.
     */
    private DatasetSequencer sequencer = new DatasetSequencer(WINDOW);

    /** A sequencer that is never replaced: every decision must be the same as its. */
    private final DatasetSequencer unreplaced = new DatasetSequencer(WINDOW);

    /** Every history event, at its position in the log. */
    private final List<HistoryEvent> log = new ArrayList<>();

    private SequencerSnapshot checkpoint = new DatasetSequencer(WINDOW).snapshot();
    private int checkpointedThrough;
    private int takeovers;

    private final InMemoryObjectStore serverState = new InMemoryObjectStore();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();

    Simulation(Random random, int clientCount, int operations) {
      this.random = random;
      this.operations = operations;
      for (int i = 0; i < clientCount; i++) {
        long salt = random.nextLong();
        IdentAllocated ident =
            (IdentAllocated) decide(new UploadRequest.AllocateIdent(), () -> salt).get(0);
        clients.add(new Client(ident.ident(), clockSkew(random)));
      }
    }

    /** Mostly close clocks, sometimes a device hours ahead or behind. */
    private static long clockSkew(Random random) {
      return random.nextInt(4) == 0
          ? (random.nextBoolean() ? 1 : -1) * 3_600_000L
          : random.nextInt(50);
    }

    /** Runs the operations, then syncs everyone; what diverged and how, if anything did. */
    Optional<String> run() {
      for (int step = 0; step < operations; step++) {
        Client client = clients.get(random.nextInt(clients.size()));
        switch (random.nextInt(4)) {
          case 0, 1 -> trace.add("client " + client.ident + " writes " + client.write(random));
          case 2 -> upload(client, client.unsent());
          default -> {
            long before = client.replica.serverVersion();
            client.download(history, 1 + random.nextInt(3));
            trace.add(
                "client "
                    + client.ident
                    + " downloads up to v"
                    + client.replica.serverVersion()
                    + " (from v"
                    + before
                    + ")");
          }
        }
        if (random.nextInt(20) == 0) {
          upload(client, client.reconnect()); // Re-sends every pending changeset.
        }
        if (random.nextInt(25) == 0) {
          checkpoint = sequencer.snapshot();
          checkpointedThrough = log.size();
        }
        if (random.nextInt(40) == 0) {
          Optional<String> differs = takeOver();
          if (differs.isPresent()) {
            return differs;
          }
        }
      }
      for (Client client : clients) {
        upload(client, client.unsent());
      }
      for (Client client : clients) {
        client.download(history, Integer.MAX_VALUE);
        if (!client.store.snapshot().equals(serverState.snapshot())
            || !client.replica.pending().isEmpty()) {
          return Optional.of(
              String.format(
                  "client %d: %s, pending %s%nserver: %s%nwhat happened:%n%s",
                  client.ident,
                  client.store.snapshot(),
                  client.replica.pending(),
                  serverState.snapshot(),
                  String.join("\n", trace)));
        }
      }
      return Optional.empty();
    }

    /**
     * A new sequencer from the last checkpoint and the log after it, as a takeover makes one; it
     * must be the sequencer it replaces, to the byte of its snapshot.
     */
    private Optional<String> takeOver() {
      DatasetSequencer restored =
          DatasetSequencer.restore(
              checkpoint,
              WINDOW,
              positions ->
                  java.util.Arrays.stream(positions)
                      .mapToObj(p -> ((Integrated) log.get((int) p)).changeset())
                      .toList());
      for (int position = checkpointedThrough; position < log.size(); position++) {
        restored.apply(log.get(position), position);
      }
      takeovers++;
      trace.add(
          "takeover " + takeovers + " from the checkpoint at log position " + checkpointedThrough);
      if (!restored.snapshot().equals(sequencer.snapshot())) {
        return Optional.of(
            String.format(
                "takeover %d: restored %s, replaced %s%nwhat happened:%n%s",
                takeovers, restored.snapshot(), sequencer.snapshot(), String.join("\n", trace)));
      }
      sequencer = restored;
      return Optional.empty();
    }

    /** What the sequencer decides, logged; the unreplaced sequencer must decide the same. */
    private List<HistoryEvent> decide(UploadRequest request, java.util.function.LongSupplier salt) {
      List<HistoryEvent> events = sequencer.handle(NOWHERE, request, salt);
      if (!events.equals(unreplaced.handle(NOWHERE, request, salt))) {
        throw new AssertionError(
            "after " + takeovers + " takeovers the sequencer decided otherwise: " + events);
      }
      for (HistoryEvent event : events) {
        if (event instanceof Integrated integrated) {
          sequencer.positioned(integrated.version(), log.size());
        }
        log.add(event);
      }
      return events;
    }

    private void upload(Client client, List<Changeset> changesets) {
      if (changesets.isEmpty()) {
        return;
      }
      for (HistoryEvent event :
          decide(new UploadRequest.UploadChangesets(client.ident, changesets), random::nextLong)) {
        Integrated integrated = (Integrated) event;
        trace.add("server integrates v" + integrated.version() + " " + integrated.changeset());
        ChangesetApplier.apply(integrated.changeset(), serverState);
        history.add(new HistoryEntry(integrated.version(), integrated.changeset()));
      }
    }
  }

  private static final class Client {
    final long ident;
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final LocalReplica replica = new LocalReplica(store);
    final List<Changeset> outbox = new ArrayList<>();
    long clock;
    long clientVersion;
    long lastSent;

    Client(long ident, long clockSkew) {
      this.ident = ident;
      this.clock = 10_000_000 + clockSkew;
    }

    Changeset write(Random random) {
      List<Instruction> instructions = new ArrayList<>();
      InMemoryObjectStore scratch = store.copy(); // What the transaction sees as it goes.
      for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
        Instruction instruction = RandomInstructions.next(random, scratch, 4);
        instructions.add(instruction);
        ChangesetApplier.apply(new Changeset(0, 0, 0, ident, List.of(instruction)), scratch);
      }
      // Some objects have a sync precedence for this transaction; stamped as a client does.
      java.util.Map<ObjectKey, Long> precedence = new java.util.HashMap<>();
      instructions.forEach(
          i ->
              precedence.computeIfAbsent(
                  i.object(), k -> random.nextInt(4) == 0 ? 1L + random.nextInt(2) : 0L));
      instructions = new ArrayList<>(replica.stamp(instructions, precedence::get));
      // A hybrid logical clock ticks forward; across clients timestamps are often equal, so the
      // ident must break ties.
      clock += 1 + random.nextInt(2);
      Changeset changeset =
          new Changeset(++clientVersion, replica.serverVersion(), clock, ident, instructions);
      replica.applyLocal(changeset);
      outbox.add(changeset);
      return changeset;
    }

    List<Changeset> unsent() {
      List<Changeset> unsent = outbox.stream().filter(c -> c.clientVersion() > lastSent).toList();
      lastSent = clientVersion;
      return unsent;
    }

    List<Changeset> reconnect() {
      lastSent = clientVersion;
      return replica.pending();
    }

    void download(List<HistoryEntry> history, int count) {
      for (int i = 0; i < count && replica.serverVersion() < history.size(); i++) {
        HistoryEntry entry = history.get((int) replica.serverVersion());
        Changeset changeset = entry.changeset();
        if (changeset.originIdent() == ident) {
          replica.acknowledge(changeset.clientVersion(), entry.version());
        } else {
          clock = Math.max(clock, changeset.timestamp()); // The hybrid logical clock.
          replica.applyRemote(entry.version(), changeset);
        }
      }
    }
  }
}

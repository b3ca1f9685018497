package io.tributary.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ErrorCode;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.session.ServerHarness.Item;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The server's session machine against a simple model, over random interleavings of new history,
 * live changesets (late, lost or repeated, as the downloads topic may deliver them), catch-up pages
 * answered in any order, congestion, failed reads and reconnects. Whatever happens, a client
 * receives history in order, without a gap or a duplicate, with an upload progress that never goes
 * back and says exactly which of its changesets the server version holds; once things are quiet, it
 * has all of history.
 *
 * <p>{@code -Dsession.rounds=N} (default 300), {@code -Dsession.seed=S} to replay a run.
 */
class DownloadPropertiesTest {

  static final long ME = 5;
  static final long SALT = 9;
  static final long OTHER = 99;

  @Test
  void historyReachesTheClientInOrderWithoutGapsOrDuplicates() {
    long seed = Long.getLong("session.seed", System.nanoTime());
    int rounds = Integer.getInteger("session.rounds", 300);
    System.out.println("DownloadPropertiesTest seed " + seed + " (-Dsession.seed=" + seed + ")");
    Random seeds = new Random(seed);
    for (int round = 0; round < rounds; round++) {
      long roundSeed = seeds.nextLong();
      try {
        new Round(new Random(roundSeed)).run();
      } catch (AssertionError e) {
        throw new AssertionError("round " + round + " (seed " + seed + ") failed", e);
      }
    }
  }

  /** One client of one dataset, reconnecting as it must, while history grows. */
  static final class Round {
    final Random random;
    final List<Item> history = new ArrayList<>();
    int ownVersions;

    // The client, as it knows itself.
    long version;
    long salt;
    long uploadProgress;

    // The connection and what is under way for it.
    ServerHarness server;
    long binding = -1;
    boolean listening;
    boolean ended;
    final ArrayDeque<Item> topic = new ArrayDeque<>();
    final List<ReadRequest> reads = new ArrayList<>();
    boolean drainAwaited;
    final Map<Long, Long> markHeads = new HashMap<>();
    long nextMark;

    /** Messages for the client held back while {@link #holding}. */
    final List<SessionEffect> unsent = new ArrayList<>();

    boolean holding;

    Round(Random random) {
      this.random = random;
    }

    void run() {
      connect();
      for (int step = 0; step < 150; step++) {
        step();
      }
      quiesce();
      assertThat(version).as("the client has all of history once quiet").isEqualTo(head());
      assertThat(uploadProgress).isEqualTo(ownVersions);
    }

    long head() {
      return history.size();
    }

    void step() {
      if (random.nextInt(10) == 0) {
        holding = !holding; // As a shell that takes several events before it writes.
        if (!holding) {
          flush();
        }
      }
      int choice = random.nextInt(100);
      if (choice < 30) {
        append();
      } else if (choice < 55) {
        deliverLive();
      } else if (choice < 80) {
        answerRead();
      } else if (choice < 86) {
        feed(new SessionEvent.Congested());
      } else if (choice < 92) {
        drain();
      } else if (choice < 95) {
        mark();
      } else if (choice < 97) {
        failARead();
      } else {
        reconnect();
      }
      if (ended) {
        reconnect();
      }
    }

    void append() {
      long v = head() + 1;
      boolean mine = random.nextInt(3) == 0;
      Item item = mine ? Item.of(v, ME, ++ownVersions) : Item.of(v, OTHER, v);
      history.add(item);
      int fate = random.nextInt(10);
      if (fate == 0) {
        return; // Lost on the way: a later catch-up finds it.
      }
      topic.add(item);
      if (fate == 1) {
        topic.add(item); // Published twice (a materializer restarted).
      }
    }

    void deliverLive() {
      Item item = topic.poll();
      if (item != null && listening) {
        feed(new SessionEvent.Live(item));
      }
    }

    void answerRead() {
      if (reads.isEmpty()) {
        return;
      }
      ReadRequest request = reads.remove(random.nextInt(reads.size()));
      if (request instanceof ReadRequest.FetchHistory fetch) {
        feed(new SessionEvent.PageRead(page(fetch.after())));
      } else if (request instanceof ReadRequest.ReadProgress progress) {
        if (progress.query() instanceof ProgressQuery.AnswerMark mark) {
          markHeads.put(mark.requestId(), head());
        }
        feed(new SessionEvent.ProgressRead(progress.query(), head(), ownVersionsUpTo(head())));
      }
    }

    CatchUpPage page(long after) {
      int size = 1 + random.nextInt(4);
      List<Item> entries = history.subList((int) after, (int) Math.min(head(), after + size));
      return new CatchUpPage(head(), 100 * head(), 100 * after, ownVersionsUpTo(head()), entries);
    }

    long ownVersionsUpTo(long version) {
      long progress = 0;
      for (Item item : history.subList(0, (int) version)) {
        if (item.originIdent() == ME) {
          progress = item.clientVersion();
        }
      }
      return progress;
    }

    void drain() {
      if (drainAwaited) {
        drainAwaited = false;
        feed(new SessionEvent.Drained());
      }
    }

    void mark() {
      if (listening) {
        handle(server.send(new ClientMessage.Mark(1, ++nextMark)));
      }
    }

    void failARead() {
      if (!reads.isEmpty()) {
        ReadRequest request = reads.remove(random.nextInt(reads.size()));
        feed(new SessionEvent.ReadFailed(request, ReadFailure.UNAVAILABLE, "down"));
      }
    }

    void connect() {
      server = new ServerHarness();
      listening = false;
      ended = false;
      drainAwaited = false;
      reads.clear();
      markHeads.clear();
      handle(server.send(new ClientMessage.Bind(1, "tasks", null, false)));
      handle(server.send(new ClientMessage.Ident(1, ME, SALT, version, salt, uploadProgress)));
    }

    /** What was held goes out, DOWNLOADs that follow each other joined, as the gateway does. */
    void flush() {
      List<SessionEffect> batch = DownloadCoalescing.coalesce(unsent);
      unsent.clear();
      batch.forEach(this::clientSees);
    }

    void reconnect() {
      unsent.clear(); // Lost with the socket.
      holding = false;
      handle(server.connection.close());
      connect();
    }

    void quiesce() {
      holding = false;
      flush();
      topic.clear(); // What is still on its way is lost: catch-ups must find it.
      for (int i = 0; i < 10_000 && (version < head() || !reads.isEmpty() || drainAwaited); i++) {
        if (drainAwaited) {
          drain();
        } else if (!reads.isEmpty()) {
          answerRead();
        } else {
          feed(new SessionEvent.Live(history.get((int) head() - 1))); // A gap: catch up.
        }
        if (ended) {
          connect();
        }
      }
    }

    void feed(SessionEvent event) {
      if (binding >= 0) {
        handle(server.event(binding, event));
      }
    }

    void handle(List<SessionEffect> effects) {
      for (SessionEffect effect : effects) {
        if (effect instanceof SessionEffect.Read read) {
          binding = read.binding();
          reads.add(read.request());
        } else if (effect instanceof SessionEffect.Listen listen) {
          binding = listen.binding();
          listening = true;
        } else if (effect instanceof SessionEffect.AwaitDrain) {
          drainAwaited = true;
        } else if (effect instanceof SessionEffect.Ended) {
          listening = false;
          ended = true;
          binding = -1;
        } else if (holding) {
          unsent.add(effect);
        } else {
          clientSees(effect);
        }
      }
    }

    void clientSees(SessionEffect effect) {
      if (effect instanceof SessionEffect.SendDownload download) {
        received(download);
      } else if (effect instanceof SessionEffect.Send send) {
        received(send.message());
      }
    }

    /** The client's checks on a DOWNLOAD, against the model. */
    void received(SessionEffect.SendDownload download) {
      long expected = version;
      for (HistoryItem item : download.changesets()) {
        expected++;
        // Its own changesets are acknowledged, not sent back; and one ends a DOWNLOAD (the client
        // acknowledges it after applying the DOWNLOAD's changesets, which must come before it).
        assertThat(history.get((int) expected - 1).originIdent())
            .as("version %d, the client's own, ends a DOWNLOAD", expected)
            .isEqualTo(OTHER);
        assertThat(item.version()).as("in order, no gap, no duplicate").isEqualTo(expected);
        assertThat(item.originIdent()).isEqualTo(OTHER);
      }
      long reached = download.header().serverVersion();
      assertThat(reached)
          .isGreaterThanOrEqualTo(Math.max(version, expected))
          .isLessThanOrEqualTo(head());
      for (long v = expected + 1; v <= reached; v++) {
        assertThat(history.get((int) v - 1).originIdent())
            .as("version %d was skipped", v)
            .isEqualTo(ME);
      }
      assertThat(download.header().salt()).isEqualTo(reached == 0 ? salt : 1000 + reached);
      long progress = download.header().uploadProgress();
      assertThat(progress)
          .as("upload progress never goes back")
          .isGreaterThanOrEqualTo(uploadProgress);
      assertThat(progress)
          .as("upload progress holds as of the message's version")
          .isEqualTo(Math.max(uploadProgress, ownVersionsUpTo(reached)));
      version = reached;
      salt = download.header().salt();
      uploadProgress = progress;
    }

    void received(ServerMessage message) {
      if (message instanceof ServerMessage.Mark mark) {
        assertThat(version)
            .as("a MARK comes after everything of its time")
            .isGreaterThanOrEqualTo(markHeads.get(mark.requestId()));
      } else if (message instanceof ServerMessage.Error error) {
        assertThat(error.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE.code());
      }
    }
  }
}

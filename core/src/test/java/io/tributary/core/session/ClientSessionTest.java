package io.tributary.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.HybridClock;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.model.SchemaViolation;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.DownloadHeader;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.protocol.StateHeader;
import io.tributary.core.session.ClientEffect.Connection;
import io.tributary.core.state.NoSuchObjectException;
import io.tributary.core.testing.MemoryCopy;
import io.tributary.core.testing.Models;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The client's session machine, input by input, without a socket, a thread or a clock. */
class ClientSessionTest {

  static final long S = ClientSession.SESSION;
  static final long IDENT = 7;
  static final long SALT = 70;

  final MemoryCopy copy = new MemoryCopy();
  long wallClock = 1_000;
  final ClientSession client =
      new ClientSession(
          "tasks",
          copy,
          Models.tasks(),
          new HybridClock(() -> wallClock),
          Backoff.DEFAULT,
          () -> 0.5);

  // ---- Every server message in every phase ----

  /** Where the client stands, as far as what the server sends is concerned. */
  enum Phase {
    OFFLINE,
    OPENING,
    AWAITING_IDENT,
    RECEIVING_STATE,
    SYNCING
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments>
      everyServerMessageInEveryPhase() {
    List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
    for (Phase phase : Phase.values()) {
      for (String message :
          List.of(
              "IDENT",
              "DOWNLOAD",
              "STATE",
              "ERROR",
              "TRANSACT_RESULT",
              "MARK",
              "UNBOUND",
              "PONG",
              "CLIENT_VERSION")) {
        cases.add(org.junit.jupiter.params.provider.Arguments.of(phase, message));
      }
    }
    return cases.stream();
  }

  /**
   * Without an open socket nothing is heard; with one, each message does its part in the phase it
   * belongs to and nothing elsewhere, and none throws.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{1} while {0}")
  @org.junit.jupiter.params.provider.MethodSource("everyServerMessageInEveryPhase")
  void everyServerMessageInEveryPhase(Phase phase, String name) {
    bringTo(phase);
    long versionBefore = copy.meta().serverVersion();
    List<ClientEffect> effects = client.received(serverMessage(name));
    boolean open = phase != Phase.OFFLINE && phase != Phase.OPENING;
    if (!open) {
      assertThat(effects).isEmpty();
      return;
    }
    switch (name) {
      case "ERROR" -> assertThat(effects).contains(new ClientEffect.Close());
      case "IDENT" -> {
        boolean asked = phase == Phase.AWAITING_IDENT; // Taken only when a BIND asked for one.
        assertThat(effects.isEmpty()).isEqualTo(!asked);
        assertThat(copy.meta().clientIdent() == IDENT + 1).isEqualTo(asked);
      }
      case "DOWNLOAD" -> {
        boolean applies = phase == Phase.SYNCING;
        assertThat(effects.stream().anyMatch(ClientEffect.Progress.class::isInstance))
            .isEqualTo(applies);
        assertThat(copy.meta().serverVersion() > versionBefore).isEqualTo(applies);
      }
      case "STATE" -> {
        boolean applies = phase == Phase.RECEIVING_STATE;
        assertThat(copy.meta().serverVersion() == 5).isEqualTo(applies);
        assertThat(effects.isEmpty()).isEqualTo(!applies);
      }
      default -> assertThat(effects).as("nothing awaits it").isEmpty();
    }
  }

  private void bringTo(Phase phase) {
    switch (phase) {
      case OFFLINE -> {}
      case OPENING -> client.connect();
      case AWAITING_IDENT -> {
        client.connect();
        client.opened(null);
      }
      case RECEIVING_STATE -> connectToIdent();
      case SYNCING -> identifiedAt(0);
    }
  }

  private static ServerMessage serverMessage(String name) {
    return switch (name) {
      case "IDENT" -> new ServerMessage.ServerIdent(S, IDENT + 1, SALT);
      case "DOWNLOAD" -> ack(1, 0);
      case "STATE" -> state(0, true, object(1, "x"));
      case "ERROR" -> new ServerMessage.Error(S, ErrorCode.SERVER_UNAVAILABLE, "later");
      case "TRANSACT_RESULT" -> new ServerMessage.TransactResult(S, 9, true, "");
      case "MARK" -> new ServerMessage.Mark(S, 99);
      case "UNBOUND" -> new ServerMessage.Unbound(S);
      case "PONG" -> new ServerMessage.Pong(1);
      default -> new ServerMessage.ClientVersion(S, 0);
    };
  }

  // ---- Connecting ----

  @Test
  void aFirstConnectOpensBindsForAnIdentAndAsksForTheState() {
    assertThat(client.connect())
        .containsExactly(
            new ClientEffect.ConnectionChanged(Connection.CONNECTING), new ClientEffect.Open());
    assertThat(client.opened("token"))
        .containsExactly(
            new ClientEffect.StartPings(), send(new ClientMessage.Bind(S, "tasks", "token", true)));
    assertThat(client.received(new ServerMessage.ServerIdent(S, IDENT, SALT)))
        .containsExactly(send(new ClientMessage.StateRequest(S, IDENT, SALT)));
    assertThat(copy.meta().clientIdent()).isEqualTo(IDENT);
  }

  @Test
  void aCopyWithAVersionIdentifiesAtOnceAndUploadsWhatIsPending() {
    identifiedAt(3);
    client.disconnect();
    client.write(List.of(create(1)));
    client.connect();
    List<ClientEffect> effects = client.opened(null);
    assertThat(effects)
        .containsSubsequence(
            send(new ClientMessage.Bind(S, "tasks", null, false)),
            send(new ClientMessage.Ident(S, IDENT, SALT, 3, 1003, 0)));
    assertThat(uploads(effects)).hasSize(1);
  }

  @Test
  void theLastStateSegmentReplacesTheObjectsAndPutsTheCopyAtItsVersion() {
    connectToIdent();
    client.write(List.of(create(9))); // Written while the state comes: kept, and uploaded after.
    client.received(state(0, false, object(1, "a")));
    assertThat(copy.snapshot()).containsOnlyKeys(task(9)); // The app's copy stays whole.
    List<ClientEffect> effects = client.received(state(1, true, object(2, "b")));
    assertThat(copy.snapshot()).containsOnlyKeys(task(1), task(2), task(9));
    assertThat(copy.meta().serverVersion()).isEqualTo(5);
    assertThat(uploads(effects)).hasSize(1);
    assertThat(uploads(effects).get(0).changesets().get(0).baseVersion()).isEqualTo(5);
    assertThat(effects).contains(new ClientEffect.ConnectionChanged(Connection.CONNECTED));
  }

  @Test
  void aDownloadIsAppliedAcknowledgesAndTellsTheApp() {
    identifiedAt(0);
    client.write(List.of(create(1)));
    Changeset remote = new Changeset(1, 0, 5_000, 99, List.of(create(2)));
    List<ClientEffect> effects =
        client.received(
            new ServerMessage.Download(
                new DownloadHeader(S, 2, 1002, 1, 2, 0),
                List.of(new ServerMessage.DownloadedChangeset(1, remote))));
    assertThat(copy.snapshot()).containsOnlyKeys(task(1), task(2));
    assertThat(copy.replica().pendingCount()).isZero();
    assertThat(effects)
        .contains(
            new ClientEffect.Changed(remote, true),
            new ClientEffect.Progress(2, 2, 0),
            new ClientEffect.ConnectionChanged(Connection.CONNECTED));
    // The clock has seen the remote change: the next local change comes after it.
    client.write(List.of(update(1, "text", "later")));
    assertThat(copy.meta().clock()).isGreaterThan(5_000);
  }

  @Test
  void aLostConnectionIsOpenedAgainAfterABackoffThatAnAnswerResets() {
    identifiedAt(0);
    List<ClientEffect> lost = client.closed();
    assertThat(lost)
        .containsExactly(
            new ClientEffect.StopPings(),
            new ClientEffect.ConnectionChanged(Connection.DISCONNECTED),
            new ClientEffect.ConnectionChanged(Connection.CONNECTING),
            new ClientEffect.ScheduleReconnect(375)); // 500 ms, jittered to 3/4.
    assertThat(client.reconnectDue()).containsExactly(new ClientEffect.Open());
    assertThat(client.closed()).contains(new ClientEffect.ScheduleReconnect(750));
  }

  @Test
  void aRefusalThatSaysWhenToComeBackIsHeededAndResetsTheBackoff() {
    client.connect();
    assertThat(client.closed()).contains(new ClientEffect.ScheduleReconnect(375));
    client.reconnectDue();
    assertThat(client.closed()).contains(new ClientEffect.ScheduleReconnect(750));
    client.reconnectDue();
    assertThat(client.refused(java.time.Duration.ofSeconds(30)))
        .contains(new ClientEffect.ScheduleReconnect(33_750)); // 30 s and up to a quarter more.
    client.reconnectDue();
    assertThat(client.closed())
        .as("the server answered: the backoff starts again from its first step")
        .contains(new ClientEffect.ScheduleReconnect(375));
    client.reconnectDue();
    assertThat(client.refused(java.time.Duration.ofHours(1)))
        .as("within the backoff's bounds")
        .contains(new ClientEffect.ScheduleReconnect(67_500));
  }

  @Test
  void disconnectingWhileOpeningClosesTheSocketOnceItOpens() {
    client.connect();
    assertThat(client.disconnect())
        .containsExactly(new ClientEffect.ConnectionChanged(Connection.DISCONNECTED));
    assertThat(client.opened(null)).containsExactly(new ClientEffect.Close());
    assertThat(client.connected()).isFalse();
  }

  @Test
  void messagesWithoutAnOpenSocketAreIgnored() {
    assertThat(client.received(new ServerMessage.ServerIdent(S, IDENT, SALT))).isEmpty();
    assertThat(client.pingDue(1)).isEmpty();
    identifiedAt(0);
    assertThat(client.pingDue(42)).containsExactly(send(new ClientMessage.Ping(42)));
  }

  // ---- Errors ----

  @Test
  void anErrorThatTryingAgainCannotMendStopsTheClient() {
    identifiedAt(0);
    List<ClientEffect> effects =
        client.received(new ServerMessage.Error(S, ErrorCode.BAD_DATASET_NAME, "no"));
    assertThat(effects).contains(new ClientEffect.Close());
    assertThat(effects).noneMatch(ClientEffect.ScheduleReconnect.class::isInstance);
    assertThat(client.connection()).isEqualTo(Connection.DISCONNECTED);
  }

  @Test
  void anErrorWithTryAgainReconnects() {
    identifiedAt(0);
    assertThat(client.received(new ServerMessage.Error(0, ErrorCode.SERVER_UNAVAILABLE, "later")))
        .anyMatch(ClientEffect.ScheduleReconnect.class::isInstance);
  }

  @Test
  void aRefusedTokenReconnectsForAFreshOne() {
    identifiedAt(0);
    assertThat(
            client.received(new ServerMessage.Error(S, ErrorCode.AUTHENTICATION_FAILED, "expired")))
        .anyMatch(ClientEffect.ScheduleReconnect.class::isInstance);
  }

  // ---- Local writes ----

  @Test
  void aWriteThatBreaksTheModelIsRefusedAndNothingIsApplied() {
    assertThatThrownBy(() -> client.write(List.of(update(1, "done", "not a boolean"))))
        .isInstanceOf(NoSuchObjectException.class);
    assertThatThrownBy(
            () ->
                client.write(
                    List.of(create(1), new Instruction.Update(task(1), "done", Value.of("x")))))
        .isInstanceOf(SchemaViolation.class);
    assertThatThrownBy(() -> client.write(List.of(new Instruction.CreateObject(task(0)))))
        .isInstanceOf(SchemaViolation.class);
    assertThat(copy.snapshot()).isEmpty();
    assertThat(copy.meta().lastClientVersion()).isZero();
  }

  @Test
  void aWriteOfflineIsKeptAndAWriteOnlineIsUploaded() {
    assertThat(client.write(List.of(create(1))))
        .containsExactly(new ClientEffect.Changed(copy.replica().pending().get(0), false));
    identifiedAt(0);
    assertThat(uploads(client.write(List.of(create(2))))).hasSize(1);
  }

  // ---- A refused changeset ----

  @Test
  void aRefusedChangesetAmongSeveralIsIsolatedTakenOutAndTheRestSyncs() {
    identifiedAt(0);
    client.disconnect();
    client.write(List.of(create(1)));
    client.write(List.of(create(2))); // The server will refuse this one.
    client.write(List.of(create(3)));
    client.connect();
    assertThat(uploads(client.opened(null)).get(0).changesets()).hasSize(3);

    ServerMessage.Error refusal = new ServerMessage.Error(S, ErrorCode.SCHEMA_VIOLATION, "no");
    List<ClientEffect> first = client.received(refusal);
    assertThat(first).noneMatch(ClientEffect.Refused.class::isInstance);
    assertThat(first).anyMatch(ClientEffect.ScheduleReconnect.class::isInstance);

    client.reconnectDue();
    List<ClientEffect> isolated = client.opened(null);
    assertThat(uploads(isolated)).hasSize(1);
    assertThat(uploads(isolated).get(0).changesets())
        .extracting(Changeset::clientVersion)
        .containsExactly(1L);

    List<ClientEffect> next = client.received(ack(1, 1));
    assertThat(uploads(next).get(0).changesets())
        .extracting(Changeset::clientVersion)
        .containsExactly(2L);

    List<ClientEffect> refused = client.received(refusal);
    Changeset second =
        ((ClientEffect.Refused)
                refused.stream()
                    .filter(ClientEffect.Refused.class::isInstance)
                    .findFirst()
                    .orElseThrow())
            .changeset();
    assertThat(second.clientVersion()).isEqualTo(2);
    assertThat(copy.meta().needsState()).isTrue();

    client.reconnectDue();
    assertThat(client.opened(null)).contains(send(new ClientMessage.StateRequest(S, IDENT, SALT)));
    List<ClientEffect> rebuilt = client.received(state(0, true, object(1, "from the server")));
    assertThat(copy.snapshot()).containsOnlyKeys(task(1), task(3));
    assertThat(copy.meta().needsState()).isFalse();
    assertThat(rebuilt).contains(new ClientEffect.Changed(second, false));
    assertThat(uploads(rebuilt).get(0).changesets())
        .extracting(Changeset::clientVersion)
        .containsExactly(3L);
  }

  @Test
  void aRefusedTransactIsSettledAsRejectedAndReported() {
    identifiedAt(0);
    client.transact(List.of(create(4)));
    List<ClientEffect> effects =
        client.received(new ServerMessage.Error(S, ErrorCode.SCHEMA_VIOLATION, "no"));
    assertThat(effects).contains(new ClientEffect.TransactSettled(false));
    assertThat(effects).anyMatch(ClientEffect.Refused.class::isInstance);
    assertThat(client.transacting()).isFalse();
  }

  // ---- TRANSACT ----

  @Test
  void anAcceptedTransactIsAppliedWhenItsAcknowledgementComes() {
    identifiedAt(0);
    List<ClientEffect> sent = client.transact(List.of(create(4)));
    assertThat(sent)
        .anyMatch(
            e -> e instanceof ClientEffect.Send s && s.message() instanceof ClientMessage.Transact);
    assertThatThrownBy(() -> client.write(List.of(create(5))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(client.received(new ServerMessage.TransactResult(S, 1, true, ""))).isEmpty();
    List<ClientEffect> acknowledged = client.received(ack(1, 1));
    assertThat(acknowledged).contains(new ClientEffect.TransactSettled(true));
    assertThat(copy.snapshot()).containsKey(task(4));
  }

  @Test
  void aRejectedTransactLeavesNothing() {
    identifiedAt(0);
    client.transact(List.of(create(4)));
    assertThat(client.received(new ServerMessage.TransactResult(S, 1, false, "someone was first")))
        .containsExactly(new ClientEffect.TransactSettled(false));
    assertThat(copy.snapshot()).isEmpty();
  }

  @Test
  void aTransactNeedsAConnection() {
    assertThatThrownBy(() -> client.transact(List.of(create(4))))
        .isInstanceOf(IllegalStateException.class);
  }

  // ---- Waiting until synced ----

  @Test
  void syncedComesAfterAMarkRoundTripWithNothingPending() {
    identifiedAt(0);
    client.write(List.of(create(1)));
    List<ClientEffect> asked = client.awaitSynced(11);
    ClientMessage.Mark mark = marks(asked).get(0);
    assertThat(client.received(new ServerMessage.Mark(S, mark.requestId()))).isEmpty(); // Pending.
    List<ClientEffect> afterAck = client.received(ack(1, 1));
    ClientMessage.Mark again = marks(afterAck).get(0);
    assertThat(client.received(new ServerMessage.Mark(S, again.requestId())))
        .containsExactly(new ClientEffect.Synced(11));
  }

  @Test
  void aMarkLostWithTheConnectionIsAskedAgain() {
    identifiedAt(0);
    client.awaitSynced(11);
    client.closed();
    client.reconnectDue();
    assertThat(marks(client.opened(null))).hasSize(1);
  }

  @Test
  void waitersShareOneMarkSoThatPollingCannotPassTheServersBound() {
    identifiedAt(0);
    client.write(List.of(create(1)));
    int marksSent = 0;
    for (long waiter = 1; waiter <= 200; waiter++) { // An app that polls awaitSynced.
      marksSent += marks(client.awaitSynced(waiter)).size();
      client.forget(waiter);
    }
    assertThat(marksSent).isEqualTo(1);
    List<ClientEffect> stillPending = client.received(new ServerMessage.Mark(S, 1));
    assertThat(marks(stillPending)).isEmpty(); // Nobody waits any more.
    ClientMessage.Mark asked = marks(client.awaitSynced(500)).get(0);
    assertThat(client.received(new ServerMessage.Mark(S, asked.requestId()))).isEmpty();
    List<ClientEffect> next = client.received(ack(1, 1)); // Pending no more: ask again.
    assertThat(marks(next)).hasSize(1);
    assertThat(client.received(new ServerMessage.Mark(S, marks(next).get(0).requestId())))
        .containsExactly(new ClientEffect.Synced(500));
  }

  @Test
  void aTransactWaitsWhileRefusedUploadsAreIsolatedAndUploadsWaitForAVerdict() {
    identifiedAt(0);
    client.transact(List.of(create(4)));
    client.disconnect();
    client.connect();
    client.opened(null);
    // With the TRANSACT out, nothing is uploaded until its verdict.
    client.received(new ServerMessage.TransactResult(S, 1, false, "no"));
    client.write(List.of(create(1)));
    client.write(List.of(create(2)));
    client.received(new ServerMessage.Error(S, ErrorCode.SCHEMA_VIOLATION, "no"));
    client.reconnectDue();
    client.opened(null); // Isolating now: one at a time.
    assertThatThrownBy(() -> client.transact(List.of(create(5))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one at a time");
  }

  @Test
  void aRefusalWithAnUploadAndATransactOutBlamesNeither() {
    identifiedAt(0);
    client.write(List.of(create(1))); // Uploaded, not acknowledged.
    client.transact(List.of(create(4)));
    List<ClientEffect> effects =
        client.received(new ServerMessage.Error(S, ErrorCode.SCHEMA_VIOLATION, "no"));
    assertThat(effects).noneMatch(ClientEffect.Refused.class::isInstance);
    assertThat(copy.replica().pendingCount()).isEqualTo(1);
    assertThat(client.transacting()).isTrue();
    client.reconnectDue();
    List<ClientEffect> reconnected = client.opened(null);
    assertThat(uploads(reconnected)).hasSize(1);
    assertThat(reconnected)
        .as("the TRANSACT waits until the upload is through")
        .noneMatch(
            e -> e instanceof ClientEffect.Send s && s.message() instanceof ClientMessage.Transact);
    List<ClientEffect> acknowledged = client.received(ack(1, 1));
    assertThat(acknowledged)
        .anyMatch(
            e -> e instanceof ClientEffect.Send s && s.message() instanceof ClientMessage.Transact);
  }

  // ---- Helpers ----

  /** Connected, identified at {@code version} (no state transfer), nothing pending. */
  private void identifiedAt(long version) {
    client.firstOpenWithState(false);
    copy.commit(copy.meta().withIdent(IDENT, SALT).withServer(version, 1000 + version, 0));
    if (version > 0) {
      copy.replica().acknowledge(0, version);
    }
    client.connect();
    client.opened(null);
  }

  private void connectToIdent() {
    copy.commit(copy.meta().withIdent(IDENT, SALT));
    client.connect();
    client.opened(null);
  }

  private static ServerMessage.Download ack(long version, long uploadProgress) {
    return new ServerMessage.Download(
        new DownloadHeader(S, version, 1000 + version, uploadProgress, version, 0), List.of());
  }

  private static ServerMessage.State state(
      int segment, boolean last, ServerMessage.StateObject object) {
    return new ServerMessage.State(new StateHeader(S, 5, 1005, 0, segment, last), List.of(object));
  }

  private static ServerMessage.StateObject object(long id, String text) {
    SortedMap<String, Value> properties = new TreeMap<>();
    properties.put("text", Value.of(text));
    return new ServerMessage.StateObject(task(id), properties);
  }

  static ObjectKey task(long id) {
    return new ObjectKey("Task", id);
  }

  static Instruction create(long id) {
    return new Instruction.CreateObject(task(id));
  }

  static Instruction update(long id, String property, String value) {
    return new Instruction.Update(task(id), property, Value.of(value));
  }

  static ClientEffect send(ClientMessage message) {
    return new ClientEffect.Send(message);
  }

  static List<ClientMessage.Upload> uploads(List<ClientEffect> effects) {
    return effects.stream()
        .filter(
            e -> e instanceof ClientEffect.Send s && s.message() instanceof ClientMessage.Upload)
        .map(e -> (ClientMessage.Upload) ((ClientEffect.Send) e).message())
        .toList();
  }

  static List<ClientMessage.Mark> marks(List<ClientEffect> effects) {
    return effects.stream()
        .filter(e -> e instanceof ClientEffect.Send s && s.message() instanceof ClientMessage.Mark)
        .map(e -> (ClientMessage.Mark) ((ClientEffect.Send) e).message())
        .toList();
  }
}

package io.tributary.core.session;

import static io.tributary.core.session.ServerHarness.Item;
import static io.tributary.core.session.ServerHarness.errorCodeIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.protocol.ClientMessage;
import io.tributary.core.protocol.ServerMessage;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.core.session.ServerSession.Phase;
import io.tributary.core.session.SessionEffect.Publish;
import io.tributary.core.session.SessionEffect.Read;
import io.tributary.core.session.SessionEffect.Send;
import io.tributary.core.session.SessionEffect.SendDownload;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server's session machine, message by message and phase by phase, without any I/O. */
class ServerSessionTest {

  static final long SESSION = 1;
  static final long IDENT = 5;
  static final long SALT = 9;

  ServerHarness server = new ServerHarness();

  // ---- Every message in every phase ----

  /** What a message does in a phase, told apart by its effects. */
  enum Outcome {
    PROTOCOL_VIOLATION,
    PUBLISHES,
    READS,
    UNBOUND,
    NOTHING,
    AUTHENTICATION_FAILED
  }

  static Stream<Arguments> everyMessageInEveryPhase() {
    List<Arguments> cases = new ArrayList<>();
    for (Phase phase : Phase.values()) {
      if (phase == Phase.ENDED) {
        continue; // An ended session is unbound: covered by aMessageForAnUnboundSession.
      }
      boolean identified =
          phase == Phase.CHECKING_CLAIM
              || phase == Phase.CATCHING_UP
              || phase == Phase.LIVE
              || phase == Phase.AWAITING_DRAIN;
      Outcome beforeIdent =
          phase == Phase.AWAITING_IDENT ? Outcome.READS : Outcome.PROTOCOL_VIOLATION;
      Outcome afterIdent = identified ? Outcome.PUBLISHES : Outcome.PROTOCOL_VIOLATION;
      Outcome request = identified ? Outcome.READS : Outcome.PROTOCOL_VIOLATION;
      cases.add(Arguments.of(phase, "IDENT", beforeIdent));
      cases.add(Arguments.of(phase, "STATE_REQUEST", beforeIdent));
      cases.add(Arguments.of(phase, "UPLOAD", afterIdent));
      cases.add(Arguments.of(phase, "TRANSACT", afterIdent));
      cases.add(Arguments.of(phase, "MARK", request));
      cases.add(Arguments.of(phase, "CLIENT_VERSION_REQUEST", request));
      cases.add(Arguments.of(phase, "UNBIND", Outcome.UNBOUND));
      cases.add(Arguments.of(phase, "REFRESH", Outcome.NOTHING));
      cases.add(Arguments.of(phase, "REFRESH_REFUSED", Outcome.AUTHENTICATION_FAILED));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{1} in {0}: {2}")
  @MethodSource("everyMessageInEveryPhase")
  void everyMessageInEveryPhase(Phase phase, String message, Outcome expected) {
    bringTo(phase);
    List<SessionEffect> effects = server.send(message(message));
    assertThat(outcome(effects)).as("effects %s", effects).isEqualTo(expected);
    boolean ends =
        expected == Outcome.PROTOCOL_VIOLATION
            || expected == Outcome.UNBOUND
            || expected == Outcome.AUTHENTICATION_FAILED;
    assertThat(server.connection.phase(SESSION).isEmpty()).isEqualTo(ends);
    assertThat(effects.stream().anyMatch(SessionEffect.Ended.class::isInstance)).isEqualTo(ends);
  }

  private static Outcome outcome(List<SessionEffect> effects) {
    if (errorCodeIn(effects).isPresent()) {
      ErrorCode code = errorCodeIn(effects).get();
      return code == ErrorCode.AUTHENTICATION_FAILED
          ? Outcome.AUTHENTICATION_FAILED
          : code == ErrorCode.PROTOCOL_VIOLATION ? Outcome.PROTOCOL_VIOLATION : null;
    }
    if (effects.stream()
        .anyMatch(e -> e instanceof Send s && s.message() instanceof ServerMessage.Unbound)) {
      return Outcome.UNBOUND;
    }
    if (effects.stream().anyMatch(Publish.class::isInstance)) {
      return Outcome.PUBLISHES;
    }
    if (effects.stream().anyMatch(Read.class::isInstance)) {
      return Outcome.READS;
    }
    return effects.isEmpty() ? Outcome.NOTHING : null;
  }

  private static ClientMessage message(String name) {
    return switch (name) {
      case "IDENT" -> new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 0);
      case "STATE_REQUEST" -> new ClientMessage.StateRequest(SESSION, IDENT, SALT);
      case "UPLOAD" -> new ClientMessage.Upload(SESSION, List.of(task(1, 1)));
      case "TRANSACT" -> new ClientMessage.Transact(SESSION, task(1, 1));
      case "MARK" -> new ClientMessage.Mark(SESSION, 77);
      case "CLIENT_VERSION_REQUEST" -> new ClientMessage.ClientVersionRequest(SESSION);
      case "UNBIND" -> new ClientMessage.Unbind(SESSION);
      case "REFRESH" -> new ClientMessage.Refresh(SESSION, "good");
      case "REFRESH_REFUSED" -> new ClientMessage.Refresh(SESSION, "stolen");
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Brings session {@link #SESSION} to {@code phase} through real messages and events. */
  private void bringTo(Phase phase) {
    switch (phase) {
      case AWAITING_ALLOCATION -> server.send(new ClientMessage.Bind(SESSION, "tasks", null, true));
      case AWAITING_IDENT -> bind();
      case CHECKING_CLAIM -> {
        bind();
        server.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 3));
      }
      case SENDING_STATE -> {
        bind();
        server.send(new ClientMessage.StateRequest(SESSION, IDENT, SALT));
      }
      case CATCHING_UP -> identify();
      case LIVE -> goLive(0);
      case AWAITING_DRAIN -> {
        goLive(0);
        server.event(server.binding(), new SessionEvent.Congested());
      }
      default -> throw new IllegalArgumentException(phase.name());
    }
    assertThat(server.connection.phase(SESSION)).contains(phase);
  }

  private void bind() {
    server.send(new ClientMessage.Bind(SESSION, "tasks", null, false));
  }

  private List<SessionEffect> identify() {
    bind();
    return server.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 0));
  }

  /** Identified at version 0 and caught up to {@code head} (history of other clients). */
  private List<SessionEffect> goLive(long head) {
    identify();
    List<Item> entries = new ArrayList<>();
    for (long v = 1; v <= head; v++) {
      entries.add(Item.of(v, 99, v));
    }
    return server.event(server.binding(), page(head, entries));
  }

  private static SessionEvent.PageRead page(long head, List<? extends HistoryItem> entries) {
    return page(head, 0, entries);
  }

  private static SessionEvent.PageRead page(
      long head, long uploadProgress, List<? extends HistoryItem> entries) {
    return new SessionEvent.PageRead(new CatchUpPage(head, 100 * head, 0, uploadProgress, entries));
  }

  static Changeset task(long clientVersion, long id) {
    ObjectKey key = new ObjectKey("Task", id);
    return new Changeset(
        clientVersion,
        0,
        1000 + clientVersion,
        IDENT,
        List.of(
            new Instruction.CreateObject(key), new Instruction.Update(key, "text", Value.of("x"))));
  }

  // ---- BIND ----

  @Test
  void aBindThatNeedsAnIdentAsksTheSequencerAndSendsTheIdentOnce() {
    List<SessionEffect> effects = server.send(new ClientMessage.Bind(SESSION, "tasks", null, true));
    Publish publish = (Publish) effects.get(0);
    assertThat(publish.request()).isInstanceOf(UploadRequest.AllocateIdent.class);
    assertThat(publish.replyTo().gatewayId()).isEqualTo("gateway-test");
    assertThat(publish.replyTo().sessionId()).isEqualTo(publish.binding());

    List<SessionEffect> allocated =
        server.event(publish.binding(), new SessionEvent.IdentAllocated(IDENT, SALT));
    assertThat(allocated)
        .containsExactly(new Send(new ServerMessage.ServerIdent(SESSION, IDENT, SALT)));
    assertThat(server.event(publish.binding(), new SessionEvent.IdentAllocated(6, 1))).isEmpty();
  }

  @Test
  void bindRefusalsEndOnlyThatBind() {
    bind();
    assertThat(errorCodeIn(server.send(new ClientMessage.Bind(SESSION, "tasks", null, false))))
        .contains(ErrorCode.SESSION_ALREADY_BOUND);
    assertThat(errorCodeIn(server.send(new ClientMessage.Bind(2, "tasks", "stolen", false))))
        .contains(ErrorCode.AUTHENTICATION_FAILED);
    assertThat(errorCodeIn(server.send(new ClientMessage.Bind(3, "../etc", null, false))))
        .contains(ErrorCode.BAD_DATASET_NAME);
    assertThat(server.connection.phase(SESSION)).contains(Phase.AWAITING_IDENT);
    assertThat(server.connection.sessionCount()).isEqualTo(1);
  }

  @Test
  void aSessionIdThatIsNotPositiveFailsTheConnection() {
    assertThat(server.send(new ClientMessage.Bind(0, "tasks", null, false)))
        .containsExactly(
            new SessionEffect.CloseConnection(
                ErrorCode.PROTOCOL_VIOLATION, "session ids must be positive"));
  }

  @Test
  void sessionsPerConnectionAreBounded() {
    ServerHarness limited = new ServerHarness(ConnectionLimits.DEFAULTS.withSessions(2));
    limited.send(new ClientMessage.Bind(1, "a", null, false));
    limited.send(new ClientMessage.Bind(2, "b", null, false));
    List<SessionEffect> third = limited.send(new ClientMessage.Bind(3, "c", null, false));
    assertThat(errorCodeIn(third)).contains(ErrorCode.LIMIT_EXCEEDED);
    assertThat(limited.connection.sessionCount()).isEqualTo(2);
    limited.send(new ClientMessage.Unbind(1));
    assertThat(errorCodeIn(limited.send(new ClientMessage.Bind(3, "c", null, false)))).isEmpty();
  }

  @Test
  void aMessageForAnUnboundSessionFailsTheConnection() {
    List<SessionEffect> effects = server.send(new ClientMessage.Mark(4, 1));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.PROTOCOL_VIOLATION);
    assertThat(effects.get(effects.size() - 1)).isInstanceOf(SessionEffect.CloseConnection.class);
    assertThat(server.send(new ClientMessage.Ping(1))).isEmpty(); // Closed: nothing more.
  }

  @Test
  void pingIsAnsweredWithPong() {
    assertThat(server.send(new ClientMessage.Ping(42)))
        .containsExactly(new Send(new ServerMessage.Pong(42)));
  }

  @Test
  void aReusedSessionIdGetsANewBindingAndStaleEventsMissIt() {
    server.send(new ClientMessage.Bind(SESSION, "tasks", null, true));
    long first = server.binding();
    server.send(new ClientMessage.Unbind(SESSION));
    server.send(new ClientMessage.Bind(SESSION, "tasks", null, true));
    long second = server.binding();
    assertThat(second).isNotEqualTo(first);
    assertThat(server.event(first, new SessionEvent.IdentAllocated(IDENT, SALT))).isEmpty();
    assertThat(server.connection.phase(SESSION)).contains(Phase.AWAITING_ALLOCATION);
  }

  // ---- IDENT ----

  @Test
  void anIdentWithoutAClaimListensAndCatchesUpFromItsVersion() {
    bind();
    List<SessionEffect> effects =
        server.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 12, 345, 0));
    assertThat(effects.get(0)).isInstanceOf(SessionEffect.Listen.class);
    assertThat(((Read) effects.get(1)).request())
        .isEqualTo(new ReadRequest.FetchHistory(12, 345, IDENT, SALT));
  }

  @Test
  void anIdentWithANonPositiveIdentIsRefused() {
    bind();
    assertThat(errorCodeIn(server.send(new ClientMessage.Ident(SESSION, 0, SALT, 0, 0, 0))))
        .contains(ErrorCode.BAD_CLIENT_IDENT);
  }

  @Test
  void aClaimBeyondWhatHistoryHoldsRequiresAReset() {
    bringTo(Phase.CHECKING_CLAIM);
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            new SessionEvent.ProgressRead(new ProgressQuery.CheckClaim(3), 10, 2));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.CLIENT_RESET_REQUIRED);
  }

  @Test
  void aClaimThatHistoryHoldsStartsTheDownload() {
    bringTo(Phase.CHECKING_CLAIM);
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            new SessionEvent.ProgressRead(new ProgressQuery.CheckClaim(3), 10, 3));
    assertThat(effects.get(0)).isInstanceOf(SessionEffect.Listen.class);
    assertThat(server.connection.phase(SESSION)).contains(Phase.CATCHING_UP);
  }

  // ---- UPLOAD and TRANSACT ----

  @Test
  void anUploadIsPublishedWholeInTheNamesHistoryStores() {
    identify();
    List<SessionEffect> effects =
        server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1), task(2, 2))));
    Publish publish = (Publish) effects.get(0);
    assertThat(publish.dataset()).isEqualTo("tasks");
    assertThat(publish.request())
        .isEqualTo(new UploadRequest.UploadChangesets(IDENT, List.of(task(1, 1), task(2, 2))));
  }

  /**
   * Each upload names the last client version its session published before it, so that the
   * sequencer can tell when an earlier one never reached Kafka; a session's first names none.
   */
  @Test
  void eachUploadNamesWhatItsSessionPublishedBefore() {
    identify();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1), task(2, 2))));

    List<SessionEffect> effects =
        server.send(new ClientMessage.Upload(SESSION, List.of(task(3, 3))));

    assertThat(((Publish) effects.get(0)).request())
        .isEqualTo(new UploadRequest.UploadChangesets(IDENT, 2, List.of(task(3, 3))));
  }

  @Test
  void anUploadOfAnotherClientFileIsRefused() {
    identify();
    Changeset foreign = task(1, 1);
    foreign = new Changeset(1, 0, 1, 6, foreign.instructions());
    assertThat(errorCodeIn(server.send(new ClientMessage.Upload(SESSION, List.of(foreign)))))
        .contains(ErrorCode.BAD_PROGRESS);
  }

  @Test
  void clientVersionsMustIncreaseWithinASession() {
    identify();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(2, 1))));
    List<SessionEffect> effects =
        server.send(new ClientMessage.Upload(SESSION, List.of(task(2, 2))));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.BAD_PROGRESS);
    assertThat(effects).noneMatch(Publish.class::isInstance);
  }

  @Test
  void aChangesetThatBreaksTheModelIsRefusedAndNothingIsPublished() {
    identify();
    ObjectKey key = new ObjectKey("Task", 1);
    Changeset bad =
        new Changeset(
            2, 0, 1, IDENT, List.of(new Instruction.Update(key, "done", Value.of("not a bool"))));
    List<SessionEffect> effects =
        server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1), bad)));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.SCHEMA_VIOLATION);
    assertThat(effects).noneMatch(Publish.class::isInstance);
  }

  @Test
  void nothingMayBeUploadedWhileATransactAwaitsItsVerdict() {
    identify();
    server.send(new ClientMessage.Transact(SESSION, task(1, 1)));
    assertThat(errorCodeIn(server.send(new ClientMessage.Upload(SESSION, List.of(task(2, 2))))))
        .contains(ErrorCode.PROTOCOL_VIOLATION);
  }

  @Test
  void aRejectedTransactGivesItsClientVersionBack() {
    identify();
    long binding = server.binding();
    server.send(new ClientMessage.Transact(SESSION, task(1, 1)));
    List<SessionEffect> verdict =
        server.event(binding, new SessionEvent.TransactDecided(1, false, "someone came first"));
    assertThat(verdict)
        .containsExactly(
            new Send(new ServerMessage.TransactResult(SESSION, 1, false, "someone came first")));
    assertThat(server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 2)))))
        .anyMatch(Publish.class::isInstance);
  }

  @Test
  void aVerdictForAnotherClientVersionIsIgnored() {
    identify();
    server.send(new ClientMessage.Transact(SESSION, task(1, 1)));
    assertThat(server.event(server.binding(), new SessionEvent.TransactDecided(2, true, "")))
        .isEmpty();
  }

  @Test
  void aRejectedUploadEndsTheSessionWithTheSequencersError() {
    identify();
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            new SessionEvent.UploadRejected(ErrorCode.BAD_PROGRESS, "client version 9 after 12"));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.BAD_PROGRESS);
  }

  @Test
  void kafkaOutOfReachEndsTheSessionWithTryAgain() {
    identify();
    List<SessionEffect> effects =
        server.event(server.binding(), new SessionEvent.PublishFailed("timeout"));
    assertThat(ServerHarness.errorIn(effects).orElseThrow().tryAgain()).isTrue();
  }

  // ---- Downloads ----

  @Test
  void aPageIsCutAfterEachOfTheClientsOwnChangesets() {
    identify();
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            page(
                4,
                2,
                List.of(
                    Item.of(1, 99, 1),
                    Item.of(2, IDENT, 1),
                    Item.of(3, 99, 2),
                    Item.of(4, IDENT, 2))));
    List<SendDownload> downloads = downloads(effects);
    // [1] then own 2 → cut; [3] then own 4 → cut; and the page reached the head.
    assertThat(downloads).hasSize(3);
    assertThat(versions(downloads.get(0))).containsExactly(1L);
    assertThat(downloads.get(0).header().serverVersion()).isEqualTo(2);
    assertThat(downloads.get(0).header().uploadProgress()).isEqualTo(1);
    assertThat(versions(downloads.get(1))).containsExactly(3L);
    assertThat(downloads.get(1).header().uploadProgress()).isEqualTo(2);
    assertThat(downloads.get(2).header().serverVersion()).isEqualTo(4);
    assertThat(server.connection.phase(SESSION)).contains(Phase.LIVE);
  }

  @Test
  void anEmptyPageAtTheHeadStillTellsWhereHistoryStands() {
    identify();
    List<SendDownload> downloads = downloads(server.event(server.binding(), page(0, 0, List.of())));
    assertThat(downloads).hasSize(1);
    assertThat(downloads.get(0).changesets()).isEmpty();
  }

  @Test
  void aPageShortOfTheHeadFetchesTheNext() {
    identify();
    List<SessionEffect> effects =
        server.event(server.binding(), page(5, List.of(Item.of(1, 99, 1), Item.of(2, 99, 2))));
    assertThat(reads(effects)).containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
  }

  @Test
  void aLiveChangesetThatFollowsGoesOutAtOnce() {
    goLive(2);
    List<SessionEffect> effects =
        server.event(server.binding(), new SessionEvent.Live(Item.of(3, 99, 3)));
    assertThat(downloads(effects)).hasSize(1);
    assertThat(versions(downloads(effects).get(0))).containsExactly(3L);
  }

  @Test
  void aLiveChangesetOfItsOwnClientIsAnAcknowledgementWithoutChangesets() {
    goLive(2);
    SendDownload ack =
        downloads(server.event(server.binding(), new SessionEvent.Live(Item.of(3, IDENT, 7))))
            .get(0);
    assertThat(ack.changesets()).isEmpty();
    assertThat(ack.header().uploadProgress()).isEqualTo(7);
    assertThat(ack.header().serverVersion()).isEqualTo(3);
  }

  // ---- Changesets in flight: backpressure ----

  @Test
  void aConnectionAtItsUploadLimitIsHeldUntilTheClientSeesAcknowledgements() {
    server = new ServerHarness(ConnectionLimits.DEFAULTS.withUploadsInFlight(3));
    goLive(2);
    long binding = server.binding();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1), task(2, 2))));
    assertThat(server.connection.atUploadLimit()).isFalse();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(3, 3))));
    assertThat(server.connection.atUploadLimit()).isTrue();

    server.event(binding, new SessionEvent.Live(Item.of(3, IDENT, 1)));
    assertThat(server.connection.atUploadLimit())
        .as("one acknowledged to the client: room for one more")
        .isFalse();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(4, 4))));
    assertThat(server.connection.atUploadLimit()).isTrue();
  }

  @Test
  void anAcknowledgementTheClientHasNotBeenSentDoesNotMakeRoom() {
    server = new ServerHarness(ConnectionLimits.DEFAULTS.withUploadsInFlight(1));
    goLive(2);
    long binding = server.binding();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1))));
    // A live changeset after a gap is buffered, not sent: the client does not know of it yet.
    server.event(binding, new SessionEvent.Live(Item.of(5, IDENT, 1)));
    assertThat(server.connection.atUploadLimit()).isTrue();
  }

  @Test
  void aRefusedTransactIsNoLongerInFlight() {
    server = new ServerHarness(ConnectionLimits.DEFAULTS.withUploadsInFlight(1));
    identify();
    long binding = server.binding();
    server.send(new ClientMessage.Transact(SESSION, task(1, 1)));
    assertThat(server.connection.atUploadLimit()).isTrue();
    server.event(binding, new SessionEvent.TransactDecided(1, false, "someone came first"));
    assertThat(server.connection.atUploadLimit()).isFalse();
  }

  @Test
  void anEndedSessionHoldsNothingInFlight() {
    server = new ServerHarness(ConnectionLimits.DEFAULTS.withUploadsInFlight(1));
    identify();
    server.send(new ClientMessage.Upload(SESSION, List.of(task(1, 1))));
    assertThat(server.connection.atUploadLimit()).isTrue();
    server.send(new ClientMessage.Unbind(SESSION));
    assertThat(server.connection.atUploadLimit()).isFalse();
  }

  @Test
  void aGapInLiveChangesetsCatchesUpAndSendsTheBufferedAfterwards() {
    goLive(2);
    long binding = server.binding();
    List<SessionEffect> gap = server.event(binding, new SessionEvent.Live(Item.of(4, 99, 4)));
    assertThat(reads(gap)).containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
    assertThat(server.event(binding, new SessionEvent.Live(Item.of(5, 99, 5)))).isEmpty();
    List<SessionEffect> caughtUp = server.event(binding, page(3, List.of(Item.of(3, 99, 3))));
    List<Long> sent = new ArrayList<>();
    downloads(caughtUp).forEach(download -> sent.addAll(versions(download)));
    assertThat(sent).containsExactly(3L, 4L, 5L);
    assertThat(server.connection.phase(SESSION)).contains(Phase.LIVE);
  }

  @Test
  void aFullBufferIsFetchedFromHistoryAfterTheCatchUp() {
    ServerHarness small = new ServerHarness(new ConnectionLimits(4, 4, 2, 256));
    small.send(new ClientMessage.Bind(SESSION, "tasks", null, false));
    small.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 0));
    long binding = small.binding();
    for (long v = 3; v <= 6; v++) {
      small.event(binding, new SessionEvent.Live(Item.of(v, 99, v)));
    }
    List<SessionEffect> effects =
        small.event(binding, page(2, List.of(Item.of(1, 99, 1), Item.of(2, 99, 2))));
    assertThat(reads(effects)).containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
  }

  @Test
  void aClientAheadOfTheServersHistoryMustReset() {
    bind();
    server.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 9, 1, 0));
    assertThat(errorCodeIn(server.event(server.binding(), page(3, List.of()))))
        .contains(ErrorCode.CLIENT_RESET_REQUIRED);
  }

  @Test
  void aCongestedSessionWaitsForTheDrainAndCatchesUpFromWhereItStopped() {
    goLive(2);
    long binding = server.binding();
    assertThat(server.event(binding, new SessionEvent.Congested()))
        .containsExactly(new SessionEffect.AwaitDrain(binding));
    assertThat(server.event(binding, new SessionEvent.Live(Item.of(3, 99, 3)))).isEmpty();
    assertThat(reads(server.event(binding, new SessionEvent.Drained())))
        .containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
  }

  @Test
  void congestionDuringACatchUpFetchesAgainInsteadOfGoingLive() {
    identify();
    long binding = server.binding();
    server.event(binding, new SessionEvent.Live(Item.of(3, 99, 3)));
    server.event(binding, new SessionEvent.Congested());
    List<SessionEffect> effects =
        server.event(binding, page(2, List.of(Item.of(1, 99, 1), Item.of(2, 99, 2))));
    assertThat(reads(effects)).containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
    assertThat(server.connection.phase(SESSION)).contains(Phase.CATCHING_UP);
  }

  // ---- MARK, CLIENT_VERSION ----

  @Test
  void aMarkIsAnsweredOnceTheDownloadsReachTheHeadItWasMadeAt() {
    goLive(2);
    long binding = server.binding();
    server.send(new ClientMessage.Mark(SESSION, 77));
    List<SessionEffect> read =
        server.event(
            binding, new SessionEvent.ProgressRead(new ProgressQuery.AnswerMark(77), 2, 0));
    assertThat(read).containsExactly(new Send(new ServerMessage.Mark(SESSION, 77)));
  }

  @Test
  void aMarkThatShowsTheSessionBehindCatchesUpBeforeItIsAnswered() {
    goLive(2);
    long binding = server.binding();
    server.send(new ClientMessage.Mark(SESSION, 77));
    List<SessionEffect> read =
        server.event(
            binding, new SessionEvent.ProgressRead(new ProgressQuery.AnswerMark(77), 3, 0));
    // Version 3 never came live (lost on the way): the MARK shows it, and history has it.
    assertThat(reads(read)).containsExactly(new ReadRequest.FetchHistory(2, 1002, IDENT, SALT));
    List<SessionEffect> effects = server.event(binding, page(3, List.of(Item.of(3, 99, 3))));
    assertThat(versions(downloads(effects).get(0))).containsExactly(3L);
    assertThat(effects.get(effects.size() - 1))
        .isEqualTo(new Send(new ServerMessage.Mark(SESSION, 77)));
  }

  @Test
  void requestsAwaitingAnswersAreBounded() {
    ServerHarness limited = new ServerHarness(new ConnectionLimits(4, 2, 100, 256));
    limited.send(new ClientMessage.Bind(SESSION, "tasks", null, false));
    limited.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 0));
    limited.send(new ClientMessage.Mark(SESSION, 1));
    limited.send(new ClientMessage.ClientVersionRequest(SESSION));
    assertThat(errorCodeIn(limited.send(new ClientMessage.Mark(SESSION, 2))))
        .contains(ErrorCode.LIMIT_EXCEEDED);
  }

  @Test
  void aClientVersionRequestIsAnsweredFromTheMaterializer() {
    identify();
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            new SessionEvent.ProgressRead(new ProgressQuery.AnswerClientVersion(), 8, 6));
    assertThat(effects).containsExactly(new Send(new ServerMessage.ClientVersion(SESSION, 6)));
  }

  // ---- Reads that fail ----

  @Test
  void readFailuresBecomeTheMatchingErrors() {
    assertThat(failedCatchUp(ReadFailure.HISTORY_DIVERGED))
        .contains(ErrorCode.CLIENT_RESET_REQUIRED);
    assertThat(failedCatchUp(ReadFailure.UNKNOWN_CLIENT_FILE)).contains(ErrorCode.BAD_CLIENT_IDENT);
    assertThat(failedCatchUp(ReadFailure.UNAVAILABLE)).contains(ErrorCode.SERVER_UNAVAILABLE);
  }

  private java.util.Optional<ErrorCode> failedCatchUp(ReadFailure failure) {
    ServerHarness fresh = new ServerHarness();
    fresh.send(new ClientMessage.Bind(SESSION, "tasks", null, false));
    List<SessionEffect> started =
        fresh.send(new ClientMessage.Ident(SESSION, IDENT, SALT, 0, 0, 0));
    ReadRequest request = reads(started).get(0);
    return errorCodeIn(
        fresh.event(fresh.binding(), new SessionEvent.ReadFailed(request, failure, "why")));
  }

  @Test
  void aStaleReadFailureIsIgnored() {
    goLive(0);
    assertThat(
            server.event(
                server.binding(),
                new SessionEvent.ReadFailed(
                    new ReadRequest.FetchHistory(0, 0, IDENT, SALT), ReadFailure.UNAVAILABLE, "")))
        .isEmpty();
    assertThat(server.connection.phase(SESSION)).contains(Phase.LIVE);
  }

  // ---- STATE ----

  @Test
  void theStateGoesOutInNumberedSegmentsThenDownloadsFollowFromItsVersion() {
    bringTo(Phase.SENDING_STATE);
    long binding = server.binding();
    ServerHarness.Page first = new ServerHarness.Page(40, 4040, 3, false);
    List<SessionEffect> one = server.event(binding, new SessionEvent.StatePageRead(first));
    assertThat(((SessionEffect.SendState) one.get(0)).header().segment()).isZero();
    assertThat(reads(one)).containsExactly(new ReadRequest.FetchStateNext(first));
    List<SessionEffect> two =
        server.event(
            binding, new SessionEvent.StatePageRead(new ServerHarness.Page(40, 4040, 3, true)));
    assertThat(((SessionEffect.SendState) two.get(0)).header().segment()).isEqualTo(1);
    assertThat(((SessionEffect.SendState) two.get(0)).header().last()).isTrue();
    assertThat(two.get(1)).isInstanceOf(SessionEffect.Listen.class);
    assertThat(reads(two)).containsExactly(new ReadRequest.FetchHistory(40, 4040, IDENT, SALT));
  }

  @Test
  void anExpiredStateSnapshotEndsTheSessionWithTryAgain() {
    bringTo(Phase.SENDING_STATE);
    List<SessionEffect> effects =
        server.event(
            server.binding(),
            new SessionEvent.ReadFailed(
                new ReadRequest.FetchState(IDENT, SALT), ReadFailure.STATE_EXPIRED, "gone"));
    assertThat(errorCodeIn(effects)).contains(ErrorCode.SERVER_UNAVAILABLE);
  }

  // ---- The connection closing ----

  @Test
  void closingEndsEverySessionSilently() {
    goLive(0);
    server.send(new ClientMessage.Bind(2, "other", null, false));
    List<SessionEffect> effects = server.connection.close();
    assertThat(effects).hasSize(2).allMatch(SessionEffect.Ended.class::isInstance);
    assertThat(server.connection.sessionCount()).isZero();
  }

  static List<SendDownload> downloads(List<SessionEffect> effects) {
    return effects.stream()
        .filter(SendDownload.class::isInstance)
        .map(SendDownload.class::cast)
        .toList();
  }

  static List<Long> versions(SendDownload download) {
    return download.changesets().stream().map(HistoryItem::version).toList();
  }

  static List<ReadRequest> reads(List<SessionEffect> effects) {
    return effects.stream()
        .filter(Read.class::isInstance)
        .map(effect -> ((Read) effect).request())
        .toList();
  }
}

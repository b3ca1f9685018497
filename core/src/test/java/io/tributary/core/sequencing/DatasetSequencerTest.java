package io.tributary.core.sequencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ErrorCode;
import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.HistoryEvent.UploadRejected;
import io.tributary.core.sequencing.UploadRequest.AllocateIdent;
import io.tributary.core.sequencing.UploadRequest.UploadChangesets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetSequencerTest {

  private static final ReplyTo REPLY = new ReplyTo("g", 1, 1);
  private final Random random = new Random(7);
  private final DatasetSequencer sequencer = new DatasetSequencer(100);
  private final List<HistoryEvent> history = new ArrayList<>();

  @Test
  void allocatesIncreasingIdentsWithSalt() {
    IdentAllocated first = allocate();
    IdentAllocated second = allocate();

    assertThat(first.ident()).isEqualTo(1);
    assertThat(second.ident()).isEqualTo(2);
    assertThat(first.salt()).isPositive();
    assertThat(first.replyTo()).isEqualTo(REPLY);
  }

  @Test
  void integratesChangesetsAtConsecutiveVersions() {
    long ident = allocate().ident();

    List<HistoryEvent> events = upload(ident, changeset(ident, 1, 0), changeset(ident, 2, 0));

    assertThat(events).extracting(e -> ((Integrated) e).version()).containsExactly(1L, 2L);
    assertThat(sequencer.head()).isEqualTo(2);
  }

  @Test
  void dropsReUploadsOfIntegratedChangesets() {
    long ident = allocate().ident();
    upload(ident, changeset(ident, 1, 0), changeset(ident, 2, 0));

    List<HistoryEvent> again =
        upload(ident, changeset(ident, 1, 0), changeset(ident, 2, 0), changeset(ident, 3, 2));

    assertThat(again)
        .extracting(e -> ((Integrated) e).changeset().clientVersion())
        .containsExactly(3L);
    assertThat(sequencer.head()).isEqualTo(3);
  }

  /**
   * A session published changesets 1 and 2, then 3; the first upload was lost on its way to Kafka
   * (a failed send does not stop the later ones). Integrating 3 would acknowledge 1 and 2, which
   * history never got: nothing is integrated, and the client uploads all three again.
   */
  @Test
  void refusesAnUploadThatComesAfterOneHistoryNeverGot() {
    long ident = allocate().ident();

    List<HistoryEvent> events =
        sequencer.handle(
            REPLY,
            new UploadChangesets(ident, 2, List.of(changeset(ident, 3, 0))),
            random::nextLong);

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            UploadRejected.class,
            r -> assertThat(r.error()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
    assertThat(sequencer.head()).isZero();
    upload(ident, changeset(ident, 1, 0), changeset(ident, 2, 0));
    assertThat(
            sequencer.handle(
                REPLY,
                new UploadChangesets(ident, 2, List.of(changeset(ident, 3, 0))),
                random::nextLong))
        .as("once history holds what came before")
        .singleElement()
        .isInstanceOf(Integrated.class);
  }

  @Test
  void rejectsAnUnknownIdent() {
    List<HistoryEvent> events = upload(42, changeset(42, 1, 0));

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            UploadRejected.class, r -> assertThat(r.error()).isEqualTo(ErrorCode.BAD_CLIENT_IDENT));
    assertThat(sequencer.head()).isZero();
  }

  @Test
  void rejectsABaseAheadOfHistory() {
    long ident = allocate().ident();

    List<HistoryEvent> events = upload(ident, changeset(ident, 1, 5));

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            UploadRejected.class, r -> assertThat(r.error()).isEqualTo(ErrorCode.BAD_PROGRESS));
  }

  @Test
  void asksForAResetWhenTheBaseIsOlderThanTheWindow() {
    DatasetSequencer small = new DatasetSequencer(2);
    long writer =
        ((IdentAllocated) small.handle(REPLY, new AllocateIdent(), random::nextLong).get(0))
            .ident();
    long late =
        ((IdentAllocated) small.handle(REPLY, new AllocateIdent(), random::nextLong).get(0))
            .ident();
    for (int v = 1; v <= 5; v++) {
      small.handle(
          REPLY,
          new UploadChangesets(writer, List.of(changeset(writer, v, v - 1))),
          random::nextLong);
    }

    List<HistoryEvent> events =
        small.handle(
            REPLY, new UploadChangesets(late, List.of(changeset(late, 1, 1))), random::nextLong);

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            UploadRejected.class,
            r -> assertThat(r.error()).isEqualTo(ErrorCode.CLIENT_RESET_REQUIRED));
  }

  @Test
  void transformsAnUploadAgainstHistoryItsClientHadNotSeen() {
    long first = allocate().ident();
    long second = allocate().ident();
    ObjectKey task = new ObjectKey("Task", 1);
    upload(first, new Changeset(1, 0, 500, first, List.of(new Instruction.EraseObject(task))));

    List<HistoryEvent> events =
        upload(
            second,
            new Changeset(
                1, 0, 900, second, List.of(new Instruction.Update(task, "text", Value.of("x")))));

    assertThat(((Integrated) events.get(0)).changeset().instructions()).as("deletes win").isEmpty();
  }

  @Test
  void replayingTheEventsRebuildsTheSameDecisions() {
    long first = allocate().ident();
    long second = allocate().ident();
    upload(first, changeset(first, 1, 0));
    upload(second, changeset(second, 1, 0));

    DatasetSequencer replayed = new DatasetSequencer(100);
    history.forEach(replayed::apply);

    assertThat(replayed.head()).isEqualTo(sequencer.head());
    List<HistoryEvent> live =
        sequencer.handle(
            REPLY,
            new UploadChangesets(first, List.of(changeset(first, 1, 0), changeset(first, 2, 1))),
            new Random(1)::nextLong);
    List<HistoryEvent> afterReplay =
        replayed.handle(
            REPLY,
            new UploadChangesets(first, List.of(changeset(first, 1, 0), changeset(first, 2, 1))),
            new Random(1)::nextLong);
    assertThat(afterReplay).isEqualTo(live);
    assertThat(replayed.handle(REPLY, new AllocateIdent(), new Random(2)::nextLong))
        .isEqualTo(sequencer.handle(REPLY, new AllocateIdent(), new Random(2)::nextLong));
  }

  /**
   * A client's second changeset was made on top of its first, which the server integrated after an
   * insertion the client had not seen. Merged with that insertion as stored (index 2) it would
   * change "x"; merged with the insertion as the client sees it, rebased onto its own "c" (index
   * 3), it changes "c".
   */
  @Test
  void aChangesetMadeOnTopOfTheClientsOwnEarlierOneSeesTheHistoryThroughIt() {
    long writer = allocate().ident();
    long other = allocate().ident();
    upload(writer, list(writer, 1, 0, 10, new Instruction.Update(LIST, "v", vector("a", "b"))));
    // Both saw ["a", "b"]. Each appends, the writer earlier: ["a", "b", "c", "x"]. Then the
    // writer, still not knowing of "x", changes "c" (index 2 in its own ["a", "b", "c"]).
    upload(other, list(other, 1, 1, 40, new Instruction.ArrayInsert(LIST, "v", 2, Value.of("x"))));
    upload(
        writer, list(writer, 2, 1, 30, new Instruction.ArrayInsert(LIST, "v", 2, Value.of("c"))));

    List<HistoryEvent> events =
        upload(
            writer, list(writer, 3, 1, 50, new Instruction.ArraySet(LIST, "v", 2, Value.of("C"))));

    assertThat(((Integrated) events.get(0)).changeset().instructions())
        .containsExactly(new Instruction.ArraySet(LIST, "v", 2, Value.of("C")));
  }

  @Test
  void replayRebuildsWhatEachClientSawFromTheUploadedOriginals() {
    long writer = allocate().ident();
    long other = allocate().ident();
    upload(writer, list(writer, 1, 0, 10, new Instruction.Update(LIST, "v", vector("a", "b"))));
    upload(other, list(other, 1, 1, 40, new Instruction.ArrayInsert(LIST, "v", 2, Value.of("x"))));
    List<HistoryEvent> transformed =
        upload(
            writer,
            list(writer, 2, 1, 45, new Instruction.ArrayInsert(LIST, "v", 2, Value.of("c"))));
    assertThat(((Integrated) transformed.get(0)).original())
        .as("moved past \"x\": the original is kept for replay")
        .isNotNull();

    DatasetSequencer replayed = new DatasetSequencer(100);
    history.forEach(replayed::apply);
    Changeset next = list(writer, 3, 1, 50, new Instruction.ArraySet(LIST, "v", 2, Value.of("C")));

    assertThat(replayed.handle(REPLY, new UploadChangesets(writer, List.of(next)), () -> 1))
        .isEqualTo(sequencer.handle(REPLY, new UploadChangesets(writer, List.of(next)), () -> 1));
  }

  @Test
  void aTransactIsIntegratedWhenOnlyItsOwnClientChangedTheDatasetSinceItsBase() {
    long booker = allocate().ident();
    upload(booker, changeset(booker, 1, 0));

    List<HistoryEvent> events = transact(booker, changeset(booker, 2, 0));

    assertThat(events).hasSize(2);
    assertThat(((Integrated) events.get(0)).changeset().clientVersion()).isEqualTo(2);
    assertThat(events.get(1))
        .isEqualTo(new HistoryEvent.TransactDecided(REPLY, 2, true, "integrated"));
  }

  @Test
  void aTransactIsRejectedOnceAnotherClientChangedTheDatasetSinceItsBase() {
    long booker = allocate().ident();
    long other = allocate().ident();
    upload(other, changeset(other, 1, 0));

    List<HistoryEvent> events = transact(booker, changeset(booker, 1, 0));

    assertThat(events)
        .containsExactly(
            new HistoryEvent.TransactDecided(
                REPLY, 1, false, "the dataset changed after version 0"));
    assertThat(sequencer.head()).as("nothing integrated").isEqualTo(1);
    assertThat(transact(booker, changeset(booker, 1, 1)).get(1))
        .as("based on the latest version, it goes through")
        .isEqualTo(new HistoryEvent.TransactDecided(REPLY, 1, true, "integrated"));
  }

  @Test
  void aTransactSentAgainAfterItWasIntegratedIsAcceptedAgain() {
    long booker = allocate().ident();
    transact(booker, changeset(booker, 1, 0));

    assertThat(transact(booker, changeset(booker, 1, 0)))
        .containsExactly(new HistoryEvent.TransactDecided(REPLY, 1, true, "already integrated"));
  }

  @Test
  void aBackendWriteIsIntegratedOnceAtTheHeadFromTheServerOrigin() {
    long ident = allocate().ident();
    upload(ident, changeset(ident, 1, 0));

    List<HistoryEvent> first = write("order-17", text("from the backend"));
    List<HistoryEvent> retried = write("order-17", text("from the backend"));

    Integrated integrated = (Integrated) first.get(0);
    assertThat(integrated.version()).isEqualTo(2);
    assertThat(integrated.changeset().originIdent())
        .isEqualTo(UploadRequest.BackendWrite.SERVER_ORIGIN);
    assertThat(integrated.changeset().baseVersion()).isEqualTo(1);
    assertThat(first.get(1)).isEqualTo(new HistoryEvent.WriteDecided(REPLY, "order-17", 2, false));
    assertThat(retried).containsExactly(new HistoryEvent.WriteDecided(REPLY, "order-17", 2, true));
    assertThat(write("order-18", text("another")).get(1))
        .isEqualTo(new HistoryEvent.WriteDecided(REPLY, "order-18", 3, false));
    assertThat(sequencer.head()).isEqualTo(3);

    DatasetSequencer replayed = new DatasetSequencer(100);
    history.forEach(replayed::apply);
    assertThat(
            replayed.handle(
                REPLY,
                new UploadRequest.BackendWrite("order-17", text("from the backend")),
                random::nextLong))
        .as("a sequencer that takes over knows the keys from history")
        .containsExactly(new HistoryEvent.WriteDecided(REPLY, "order-17", 2, true));
  }

  @Test
  void aBackendWriteIsTransformedAgainstWhatItsBaseDidNotHold() {
    long ident = allocate().ident();
    upload(ident, list(ident, 1, 0, 1, new Instruction.Update(LIST, "checklist", vector("a"))));
    upload(
        ident,
        list(ident, 2, 1, 2, new Instruction.ArrayInsert(LIST, "checklist", 0, Value.of("b"))));

    List<HistoryEvent> events =
        sequencer.handle(
            REPLY,
            new UploadRequest.BackendWrite(
                "k",
                list(0, 0, 1, 3, new Instruction.ArrayInsert(LIST, "checklist", 1, Value.of("c")))),
            random::nextLong);

    assertThat(((Integrated) events.get(0)).changeset().instructions())
        .as("decided on version 1 (a), it lands after a where b now comes first")
        .containsExactly(new Instruction.ArrayInsert(LIST, "checklist", 2, Value.of("c")));
  }

  @Test
  void backendWritesDecidedOnTheSameBaseAreTransformedAgainstEachOther() {
    long ident = allocate().ident();
    upload(ident, list(ident, 1, 0, 1, new Instruction.Update(LIST, "checklist", vector("a"))));

    write("k1", list(0, 0, 1, 2, new Instruction.ArrayInsert(LIST, "checklist", 0, Value.of("b"))));
    List<HistoryEvent> second =
        write(
            "k2",
            list(0, 0, 1, 3, new Instruction.ArrayInsert(LIST, "checklist", 1, Value.of("c"))));

    assertThat(((Integrated) second.get(0)).changeset().instructions())
        .as("after a, which b pushed to 1, though both writes have the server's origin")
        .containsExactly(new Instruction.ArrayInsert(LIST, "checklist", 2, Value.of("c")));
  }

  @Test
  void aWriteWhoseAnswerWasNeverRecordedIsStillKnownOnReplay() {
    write("order-17", text("from the backend"));
    List<HistoryEvent> withoutAnswers =
        history.stream().filter(event -> !(event instanceof HistoryEvent.WriteDecided)).toList();

    DatasetSequencer replayed = new DatasetSequencer(100);
    withoutAnswers.forEach(replayed::apply);

    assertThat(
            replayed.handle(
                REPLY,
                new UploadRequest.BackendWrite("order-17", text("from the backend")),
                random::nextLong))
        .containsExactly(new HistoryEvent.WriteDecided(REPLY, "order-17", 1, true));
  }

  @Test
  void recentWritesForgetTheOldestKeysBeyondTheirBound() {
    RecentWrites recent = new RecentWrites(2);
    recent.put("a", 1);
    recent.put("b", 2);
    recent.put("c", 3);

    assertThat(recent.get("a")).isNull();
    assertThat(recent.get("b")).isEqualTo(2);
    assertThat(recent.get("c")).isEqualTo(3);
  }

  private List<HistoryEvent> write(String key, Changeset changeset) {
    List<HistoryEvent> events =
        sequencer.handle(REPLY, new UploadRequest.BackendWrite(key, changeset), random::nextLong);
    history.addAll(events);
    return events;
  }

  private static Changeset text(String text) {
    ObjectKey task = new ObjectKey("Task", 900);
    return new Changeset(
        0,
        UploadRequest.BackendWrite.AT_HEAD,
        5_000,
        0,
        List.of(
            new Instruction.CreateObject(task),
            new Instruction.Update(task, "text", Value.of(text))));
  }

  private List<HistoryEvent> transact(long ident, Changeset changeset) {
    List<HistoryEvent> events =
        sequencer.handle(REPLY, new UploadRequest.Transact(ident, changeset), random::nextLong);
    history.addAll(events);
    return events;
  }

  private static final ObjectKey LIST = new ObjectKey("Task", 1);

  private static Changeset list(
      long ident, long clientVersion, long base, long timestamp, Instruction instruction) {
    List<Instruction> instructions =
        instruction instanceof Instruction.Update
            ? List.of(new Instruction.CreateObject(LIST), instruction)
            : List.of(instruction);
    return new Changeset(clientVersion, base, timestamp, ident, instructions);
  }

  private static Value vector(String... elements) {
    return new Value.Vector(java.util.Arrays.stream(elements).map(Value::of).toList());
  }

  private IdentAllocated allocate() {
    List<HistoryEvent> events = sequencer.handle(REPLY, new AllocateIdent(), random::nextLong);
    history.addAll(events);
    return (IdentAllocated) events.get(0);
  }

  private List<HistoryEvent> upload(long ident, Changeset... changesets) {
    List<HistoryEvent> events =
        sequencer.handle(REPLY, new UploadChangesets(ident, List.of(changesets)), random::nextLong);
    history.addAll(events);
    return events;
  }

  private static Changeset changeset(long ident, long clientVersion, long base) {
    return new Changeset(
        clientVersion,
        base,
        1_000 + clientVersion,
        ident,
        List.of(new Instruction.CreateObject(new ObjectKey("Task", ident * 100 + clientVersion))));
  }
}

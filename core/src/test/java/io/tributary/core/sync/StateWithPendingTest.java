package io.tributary.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest.AllocateIdent;
import io.tributary.core.sequencing.UploadRequest.UploadChangesets;
import io.tributary.core.state.ChangesetApplier;
import io.tributary.core.state.InMemoryObjectStore;
import io.tributary.core.state.LocalReplica;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A client that writes while its first STATE transfer runs (a race that a loaded machine showed in
 * DistributedModeTest): alice erases Task 2 at version 1; bob, bootstrapping, creates Task 2 on
 * version 0; his STATE arrives at version 1, already without Task 2. Taken as it is, bob and the
 * server differ; rebased onto the state, bob's create stands after the erase for both.
 */
class StateWithPendingTest {

  private static final ObjectKey TASK_2 = new ObjectKey("Task", 2);
  private static final ReplyTo REPLY = new ReplyTo("g", 1, 1);

  private final Random random = new Random(3);
  private final DatasetSequencer sequencer = new DatasetSequencer(100);
  private final InMemoryObjectStore server = new InMemoryObjectStore();
  private final long alice = allocate();
  private final long bob = allocate();

  @Test
  void takingTheStateWouldLeaveBobDifferentFromTheServer() {
    Changeset erase = integrate(changeset(alice, 1, 0, 10, new Instruction.EraseObject(TASK_2)));
    InMemoryObjectStore bobStore = new InMemoryObjectStore();
    LocalReplica bobReplica = new LocalReplica(bobStore);
    bobReplica.applyLocal(createTask2());

    // What the SDK did: the state replaces the copy, the pending create is applied again on it.
    bobStore.snapshot().keySet().forEach(bobStore::remove);
    server.snapshot().forEach(bobStore::put);
    bobReplica.acknowledge(0, 1);
    bobReplica.reapplyPending();
    integrate(bobReplica.pending().get(0));
    bobReplica.acknowledge(1, 2);

    assertThat(erase.instructions()).hasSize(1);
    assertThat(bobStore.snapshot()).containsKey(TASK_2);
    assertThat(server.snapshot()).doesNotContainKey(TASK_2);
  }

  @Test
  void soPendingChangesAreRebasedOntoTheStateAndBothCopiesAgree() {
    integrate(changeset(alice, 1, 0, 10, new Instruction.EraseObject(TASK_2)));
    InMemoryObjectStore bobStore = new InMemoryObjectStore();
    LocalReplica bobReplica = new LocalReplica(bobStore);
    bobReplica.applyLocal(createTask2());

    // What the SDK does: the state, then the pending create on it, as made on the state.
    bobStore.snapshot().keySet().forEach(bobStore::remove);
    server.snapshot().forEach(bobStore::put);
    bobReplica.acknowledge(0, 1);
    bobReplica.rebaseOnto(1);
    bobReplica.reapplyPending();
    assertThat(bobReplica.pending().get(0).baseVersion()).isEqualTo(1);
    integrate(bobReplica.pending().get(0));
    bobReplica.acknowledge(1, 2);

    assertThat(bobStore.snapshot()).isEqualTo(server.snapshot()).containsKey(TASK_2);
  }

  @Test
  void changesWrittenOnTheStatesVersionOrLaterKeepTheirBase() {
    LocalReplica replica = new LocalReplica(new InMemoryObjectStore());
    replica.applyLocal(changeset(bob, 1, 4, 10, new Instruction.CreateObject(TASK_2)));
    replica.applyLocal(changeset(bob, 2, 1, 11, new Instruction.EraseObject(TASK_2)));

    replica.rebaseOnto(3);

    assertThat(replica.pending()).extracting(Changeset::baseVersion).containsExactly(4L, 3L);
    assertThat(replica.drainChanges().written()).hasSize(2);
  }

  private Changeset createTask2() {
    return changeset(
        bob,
        1,
        0,
        5,
        new Instruction.CreateObject(TASK_2),
        new Instruction.Update(TASK_2, "done", Value.of(true)));
  }

  /** Integrates one upload and applies the result to the server's copy; returns it. */
  private Changeset integrate(Changeset upload) {
    List<HistoryEvent> events =
        sequencer.handle(
            REPLY, new UploadChangesets(upload.originIdent(), List.of(upload)), random::nextLong);
    Changeset integrated = ((Integrated) events.get(0)).changeset();
    ChangesetApplier.apply(integrated, server);
    return integrated;
  }

  private long allocate() {
    return ((IdentAllocated) sequencer.handle(REPLY, new AllocateIdent(), random::nextLong).get(0))
        .ident();
  }

  private static Changeset changeset(
      long origin, long clientVersion, long base, long timestamp, Instruction... instructions) {
    return new Changeset(clientVersion, base, timestamp, origin, List.of(instructions));
  }
}

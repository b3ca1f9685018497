package io.tributary.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.core.sequencing.HistoryEvent.IdentAllocated;
import io.tributary.core.sequencing.HistoryEvent.Integrated;
import io.tributary.core.sequencing.ReplyTo;
import io.tributary.core.sequencing.UploadRequest;
import io.tributary.kafka.Topics;
import io.tributary.schemas.UploadRecord;
import io.tributary.schemas.codec.RecordCodec;
import io.tributary.testkit.HistoryLog;
import io.tributary.testkit.TestKafka;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A sequencer that was replaced while paused keeps writing when it resumes; every reader must
 * ignore what it writes, and history must stay gap-free with no duplicate.
 */
class FencingTest {

  private static final String DATASET = "fenced";
  private static final ReplyTo REPLY = new ReplyTo("test", 1, 1);

  @Test
  void aReplacedSequencerThatKeepsWritingIsIgnoredByEveryReader() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    TopicPartition history = new TopicPartition(topics.history(), 0);
    try (TestSequencers a = new TestSequencers(topics);
        TestSequencers b = new TestSequencers(topics)) {
      PartitionSequencer first = a.owner(0);
      first.takeOver(true);
      long ident = allocatedIdent(first);
      await(first.handle(upload(ident, 1, 0)));
      await(first.handle(upload(ident, 2, 1)));

      // The first owner pauses; the partition moves to a second owner, which replays history.
      PartitionSequencer second = b.owner(0);
      second.takeOver(true);
      assertThat(second.epoch()).isGreaterThan(first.epoch());
      await(second.handle(upload(ident, 3, 2)));

      // The first owner resumes, still believes it owns the partition, and writes.
      await(first.handle(upload(ident, 4, 2)));
      await(second.handle(upload(ident, 4, 3)));

      List<HistoryEvent> accepted = HistoryLog.accepted(bootstrap, history);
      List<Long> versions =
          accepted.stream()
              .filter(Integrated.class::isInstance)
              .map(event -> ((Integrated) event).version())
              .toList();
      assertThat(versions).as("gap-free, each version once").containsExactly(1L, 2L, 3L, 4L);
      assertThat(accepted)
          .filteredOn(Integrated.class::isInstance)
          .extracting(event -> ((Integrated) event).changeset().clientVersion())
          .as("no changeset twice")
          .containsExactly(1L, 2L, 3L, 4L);
      assertThat(HistoryLog.read(bootstrap, history))
          .as("the zombie did write; readers ignore it")
          .anySatisfy(read -> assertThat(read.accepted()).isFalse());
    }
  }

  @Test
  void aNewOwnerContinuesFromEverythingThePreviousOwnerWrote() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    Topics topics = TestKafka.freshTopics(1);
    try (TestSequencers sequencers = new TestSequencers(topics)) {
      PartitionSequencer first = sequencers.owner(0);
      first.takeOver(true);
      long ident = allocatedIdent(first);
      await(first.handle(upload(ident, 1, 0)));

      PartitionSequencer second = sequencers.owner(0);
      second.takeOver(true);
      // A re-upload of what the first owner integrated is recognized and dropped.
      List<Future<RecordMetadata>> sends = second.handle(upload(ident, 1, 0));

      assertThat(sends).isEmpty();
      IdentAllocated next = (IdentAllocated) decodedEvents(second.handle(allocate())).get(0);
      assertThat(next.ident()).isEqualTo(ident + 1);
    }
  }

  private static long allocatedIdent(PartitionSequencer sequencer) throws Exception {
    return ((IdentAllocated) decodedEvents(sequencer.handle(allocate())).get(0)).ident();
  }

  /** Waits for the sends and reads back what they wrote. */
  private static List<HistoryEvent> decodedEvents(List<Future<RecordMetadata>> sends)
      throws Exception {
    List<RecordMetadata> written = await(sends);
    TopicPartition partition =
        new TopicPartition(written.get(0).topic(), written.get(0).partition());
    return HistoryLog.read(TestKafka.bootstrap(), partition).stream()
        .filter(read -> written.stream().anyMatch(m -> m.offset() == read.offset()))
        .map(read -> RecordCodec.event(read.record()))
        .toList();
  }

  private static List<RecordMetadata> await(List<Future<RecordMetadata>> sends)
      throws InterruptedException, ExecutionException {
    List<RecordMetadata> written = new java.util.ArrayList<>();
    for (Future<RecordMetadata> send : sends) {
      written.add(send.get());
    }
    return written;
  }

  private static UploadRecord allocate() {
    return RecordCodec.upload(DATASET, REPLY, new UploadRequest.AllocateIdent());
  }

  private static UploadRecord upload(long ident, long clientVersion, long base) {
    Changeset changeset =
        new Changeset(
            clientVersion,
            base,
            1_000 + clientVersion,
            ident,
            List.of(new Instruction.CreateObject(new ObjectKey("Task", clientVersion))));
    return RecordCodec.upload(
        DATASET, REPLY, new UploadRequest.UploadChangesets(ident, List.of(changeset)));
  }
}

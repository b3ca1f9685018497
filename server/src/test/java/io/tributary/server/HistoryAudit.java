package io.tributary.server;

import io.tributary.core.changeset.Instruction;
import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * History as every reader accepts it, read from the start and judged by the epoch fence: each
 * dataset's versions must follow each other by exactly one, and no client's changeset may be
 * integrated twice. A zombie record that got accepted would show as a version taken twice.
 */
final class HistoryAudit {

  /**
   * @param accepted records every reader accepts
   * @param fenced records written by a replaced owner (a zombie) and refused by the fence
   * @param versionsTwice accepted records that take a dataset's version again
   * @param gaps accepted records that skip versions
   * @param integratedTwice client changesets (dataset, origin, client version) integrated again
   */
  record Findings(long accepted, long fenced, long versionsTwice, long gaps, long integratedTwice) {
    boolean clean() {
      return versionsTwice == 0 && gaps == 0 && integratedTwice == 0;
    }
  }

  /** One record of history at its place, and whether the fence accepted it (a marker: took it). */
  private interface Visitor {
    void visit(int partition, long offset, HistoryRecord record, boolean accepted);
  }

  private HistoryAudit() {}

  static Findings of(String bootstrap, String prefix, int partitions) {
    long[] counts = new long[5];
    Map<String, Long> heads = new HashMap<>();
    Set<String> integrated = new HashSet<>();
    read(
        bootstrap,
        prefix,
        partitions,
        (partition, offset, history, accepted) -> {
          if (RecordCodec.isMarker(history)) {
            return;
          }
          if (!accepted) {
            counts[1]++;
            return;
          }
          counts[0]++;
          if (RecordCodec.event(history) instanceof HistoryEvent.Integrated event) {
            long head = heads.getOrDefault(history.getDataset(), 0L);
            if (event.version() <= head) {
              counts[2]++;
            } else if (event.version() > head + 1) {
              counts[3]++;
            }
            heads.put(history.getDataset(), Math.max(head, event.version()));
            String change =
                history.getDataset()
                    + "/"
                    + event.changeset().originIdent()
                    + "/"
                    + event.changeset().clientVersion();
            if (event.changeset().originIdent() != 0 && !integrated.add(change)) {
              counts[4]++;
            }
          }
        });
    return new Findings(counts[0], counts[1], counts[2], counts[3], counts[4]);
  }

  /** The markers, and every record, accepted or not, that creates one of {@code ids}. */
  static List<String> creating(String bootstrap, String prefix, int partitions, List<Long> ids) {
    List<String> found = new ArrayList<>();
    read(
        bootstrap,
        prefix,
        partitions,
        (partition, offset, history, accepted) -> {
          String place = partition + "@" + offset + " ";
          if (RecordCodec.isMarker(history)) {
            found.add(place + "marker " + history.getEpoch() + (accepted ? "" : " (refused)"));
          } else if (RecordCodec.event(history) instanceof HistoryEvent.Integrated integrated
              && integrated.changeset().instructions().stream()
                  .anyMatch(
                      i ->
                          i instanceof Instruction.CreateObject create
                              && ids.contains(create.object().id()))) {
            found.add(
                place
                    + history.getDataset()
                    + " v"
                    + integrated.version()
                    + " origin "
                    + integrated.changeset().originIdent()
                    + " client version "
                    + integrated.changeset().clientVersion()
                    + " epoch "
                    + history.getEpoch()
                    + (accepted ? " accepted" : " FENCED"));
          }
        });
    return found;
  }

  private static void read(String bootstrap, String prefix, int partitions, Visitor visitor) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "history-audit", null))) {
      for (int p = 0; p < partitions; p++) {
        TopicPartition partition = new TopicPartition(prefix + ".history", p);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        EpochFence fence = new EpochFence();
        while (consumer.position(partition) < end) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
            HistoryRecord history = decode(record);
            boolean accepted =
                RecordCodec.isMarker(history)
                    ? fence.acceptMarker(history.getEpoch(), history.getToken())
                    : fence.accepts(history.getEpoch(), history.getToken());
            visitor.visit(p, record.offset(), history, accepted);
          }
        }
      }
    }
  }

  private static HistoryRecord decode(ConsumerRecord<String, byte[]> record) {
    try {
      return RecordCodec.decodeHistory(record.value());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("undecodable history record at " + record.offset(), e);
    }
  }
}

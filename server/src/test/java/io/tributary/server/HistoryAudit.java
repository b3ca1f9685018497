package io.tributary.server;

import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.HistoryEvent;
import io.tributary.kafka.KafkaSettings;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.time.Duration;
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

  private HistoryAudit() {}

  static Findings of(String bootstrap, String prefix, int partitions) {
    long accepted = 0;
    long fenced = 0;
    long twice = 0;
    long gaps = 0;
    long integratedTwice = 0;
    Map<String, Long> heads = new HashMap<>();
    Set<String> integrated = new HashSet<>();
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
            if (RecordCodec.isMarker(history)) {
              fence.acceptMarker(history.getEpoch(), history.getToken());
              continue;
            }
            if (!fence.accepts(history.getEpoch(), history.getToken())) {
              fenced++;
              continue;
            }
            accepted++;
            if (RecordCodec.event(history) instanceof HistoryEvent.Integrated event) {
              long head = heads.getOrDefault(history.getDataset(), 0L);
              if (event.version() <= head) {
                twice++;
              } else if (event.version() > head + 1) {
                gaps++;
              }
              heads.put(history.getDataset(), Math.max(head, event.version()));
              String change =
                  history.getDataset()
                      + "/"
                      + event.changeset().originIdent()
                      + "/"
                      + event.changeset().clientVersion();
              if (event.changeset().originIdent() != 0 && !integrated.add(change)) {
                integratedTwice++;
              }
            }
          }
        }
      }
    }
    return new Findings(accepted, fenced, twice, gaps, integratedTwice);
  }

  /**
   * Every history record, accepted or not, that creates one of {@code ids}: for a failure report.
   */
  static List<String> creating(String bootstrap, String prefix, int partitions, List<Long> ids) {
    List<String> found = new java.util.ArrayList<>();
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
            if (RecordCodec.isMarker(history)) {
              boolean accepted = fence.acceptMarker(history.getEpoch(), history.getToken());
              found.add(
                  p
                      + "@"
                      + record.offset()
                      + " marker "
                      + history.getEpoch()
                      + (accepted ? "" : " (refused)"));
              continue;
            }
            HistoryEvent event = RecordCodec.event(history);
            if (event instanceof HistoryEvent.Integrated integrated
                && integrated.changeset().instructions().stream()
                    .anyMatch(
                        i ->
                            i instanceof io.tributary.core.changeset.Instruction.CreateObject create
                                && ids.contains(create.object().id()))) {
              found.add(
                  p
                      + "@"
                      + record.offset()
                      + " "
                      + history.getDataset()
                      + " v"
                      + integrated.version()
                      + " origin "
                      + integrated.changeset().originIdent()
                      + " client version "
                      + integrated.changeset().clientVersion()
                      + " epoch "
                      + history.getEpoch()
                      + (fence.accepts(history.getEpoch(), history.getToken())
                          ? " accepted"
                          : " FENCED"));
            }
          }
        }
      }
    }
    return found;
  }

  private static HistoryRecord decode(ConsumerRecord<String, byte[]> record) {
    try {
      return RecordCodec.decodeHistory(record.value());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("undecodable history record at " + record.offset(), e);
    }
  }
}

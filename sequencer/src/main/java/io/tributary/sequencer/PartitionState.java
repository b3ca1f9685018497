package io.tributary.sequencer;

import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.EpochFence;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.util.HashMap;
import java.util.Map;

/** What the accepted history of one partition says: its fence and the state of its datasets. */
final class PartitionState {

  private final EpochFence fence = new EpochFence();
  private final Map<String, DatasetSequencer> datasets = new HashMap<>();
  private final int windowLimit;

  PartitionState(int windowLimit) {
    this.windowLimit = windowLimit;
  }

  /** Applies one history record under the acceptance rule; returns whether it was accepted. */
  boolean accept(HistoryRecord record) {
    if (RecordCodec.isMarker(record)) {
      return fence.acceptMarker(record.getEpoch(), record.getToken());
    }
    if (!fence.accepts(record.getEpoch(), record.getToken())) {
      return false;
    }
    dataset(record.getDataset()).apply(RecordCodec.event(record));
    return true;
  }

  DatasetSequencer dataset(String name) {
    return datasets.computeIfAbsent(name, ignored -> new DatasetSequencer(windowLimit));
  }

  EpochFence fence() {
    return fence;
  }
}

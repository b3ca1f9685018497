package io.tributary.sequencer;

import io.tributary.core.sequencing.DatasetSequencer;
import io.tributary.core.sequencing.EpochFence;
import io.tributary.core.sequencing.SequencerSnapshot;
import io.tributary.schemas.CheckpointHeader;
import io.tributary.schemas.HistoryRecord;
import io.tributary.schemas.codec.RecordCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the accepted history of one partition says: its fence and the state of its datasets. */
final class PartitionState {

  private final EpochFence fence;
  private final Map<String, DatasetSequencer> datasets = new HashMap<>();
  private final int windowLimit;

  PartitionState(int windowLimit) {
    this(windowLimit, new EpochFence());
  }

  private PartitionState(int windowLimit, EpochFence fence) {
    this.windowLimit = windowLimit;
    this.fence = fence;
  }

  /**
   * The state a checkpoint holds; its datasets' windows read their changesets from {@code source}.
   */
  static PartitionState restore(
      CheckpointLog.Checkpoint checkpoint, int windowLimit, WindowReader source) {
    CheckpointHeader header = checkpoint.header();
    PartitionState state =
        new PartitionState(
            windowLimit,
            new EpochFence(header.getEpoch(), header.getToken(), header.getHighestEpoch()));
    checkpoint
        .datasets()
        .forEach(
            (name, snapshot) ->
                state.datasets.put(
                    name, DatasetSequencer.restore(snapshot, windowLimit, source.of(name))));
    return state;
  }

  /**
   * Applies the history record at {@code offset} under the acceptance rule; returns whether it was
   * accepted.
   */
  boolean accept(HistoryRecord record, long offset) {
    if (RecordCodec.isMarker(record)) {
      return fence.acceptMarker(record.getEpoch(), record.getToken());
    }
    if (!fence.accepts(record.getEpoch(), record.getToken())) {
      return false;
    }
    dataset(record.getDataset()).apply(RecordCodec.event(record), offset);
    return true;
  }

  DatasetSequencer dataset(String name) {
    return datasets.computeIfAbsent(name, ignored -> new DatasetSequencer(windowLimit));
  }

  EpochFence fence() {
    return fence;
  }

  /** Every dataset's state, by name: what a checkpoint holds. */
  Map<String, SequencerSnapshot> snapshots() {
    Map<String, SequencerSnapshot> snapshots = new TreeMap<>();
    datasets.forEach((name, dataset) -> snapshots.put(name, dataset.snapshot()));
    return snapshots;
  }
}

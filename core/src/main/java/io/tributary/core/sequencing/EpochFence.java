package io.tributary.core.sequencing;

/**
 * The acceptance rule of a history partition, applied identically by every reader.
 *
 * <p>A sequencer that takes over a partition first appends an epoch marker. A marker is accepted
 * only if its epoch is higher than the last accepted marker's; a record is accepted only if it
 * carries the epoch and token of the last accepted marker. A replaced sequencer that keeps writing
 * (a zombie) is thereby ignored by every reader, on every replay, because its records land after
 * the new owner's marker.
 */
public final class EpochFence {

  private long epoch;
  private String token;
  private long highestSeen;

  /** A fence that has accepted no marker yet. */
  public EpochFence() {
    this(0, null);
  }

  /** A fence restored from its persisted state. */
  public EpochFence(long epoch, String token) {
    this(epoch, token, epoch);
  }

  /** A fence restored from a checkpoint, which keeps the highest epoch seen too. */
  public EpochFence(long epoch, String token, long highestSeen) {
    this.epoch = epoch;
    this.token = token;
    this.highestSeen = Math.max(epoch, highestSeen);
  }

  /** Judges a marker; returns whether it is accepted. */
  public boolean acceptMarker(long markerEpoch, String markerToken) {
    highestSeen = Math.max(highestSeen, markerEpoch);
    if (markerEpoch <= epoch) {
      return false;
    }
    epoch = markerEpoch;
    token = markerToken;
    return true;
  }

  /** Whether a record written under {@code recordEpoch} and {@code recordToken} is accepted. */
  public boolean accepts(long recordEpoch, String recordToken) {
    return token != null && recordEpoch == epoch && token.equals(recordToken);
  }

  /** The epoch of the last accepted marker, 0 if none. */
  public long epoch() {
    return epoch;
  }

  /** The token of the last accepted marker, null if none. */
  public String token() {
    return token;
  }

  /** The epoch a new owner must use: one more than any marker seen, accepted or not. */
  public long nextEpoch() {
    return highestSeen + 1;
  }
}

package io.tributary.core.changeset;

import java.util.List;

/**
 * The instructions of one local transaction.
 *
 * @param clientVersion the version the transaction produced on its client (increasing per client
 *     file)
 * @param baseVersion the last server version the client had integrated when it made the change
 * @param timestamp the client's hybrid logical clock at the change, in milliseconds
 * @param originIdent the client file ident of the client that made the change
 * @param instructions what the transaction did, in order
 */
public record Changeset(
    long clientVersion,
    long baseVersion,
    long timestamp,
    long originIdent,
    List<Instruction> instructions) {

  public Changeset {
    instructions = List.copyOf(instructions);
  }

  /** The same changeset, as if made at {@code version}: after a rebase onto that version. */
  public Changeset withBaseVersion(long version) {
    return new Changeset(clientVersion, version, timestamp, originIdent, instructions);
  }

  public Changeset withInstructions(List<Instruction> newInstructions) {
    return new Changeset(clientVersion, baseVersion, timestamp, originIdent, newInstructions);
  }

  /**
   * Whether this change is later than {@code other}: by timestamp, then by client file ident, then
   * (for changes of one client, whose clock never repeats a timestamp anyway) by client version.
   */
  public boolean winsOver(Changeset other) {
    if (timestamp != other.timestamp) {
      return timestamp > other.timestamp;
    }
    if (originIdent != other.originIdent) {
      return originIdent > other.originIdent;
    }
    return clientVersion > other.clientVersion;
  }
}

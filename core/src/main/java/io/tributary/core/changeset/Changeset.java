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

  public Changeset withInstructions(List<Instruction> newInstructions) {
    return new Changeset(clientVersion, baseVersion, timestamp, originIdent, newInstructions);
  }

  /**
   * Whether this change wins over {@code other} when both set the same property: the later
   * timestamp wins, the client file ident breaks ties. Two different clients never compare equal.
   */
  public boolean winsOver(Changeset other) {
    if (timestamp != other.timestamp) {
      return timestamp > other.timestamp;
    }
    return originIdent > other.originIdent;
  }
}

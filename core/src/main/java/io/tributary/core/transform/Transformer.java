package io.tributary.core.transform;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operational transformation of a changeset against the changesets it was concurrent with.
 *
 * <p>The same function runs on the server (an upload against the history entries its client had not
 * seen) and on the client (a download against the client's own changesets that the server has not
 * integrated yet). For any two concurrent changesets A and B, applying A then transform(B, A) gives
 * the same state as applying B then transform(A, B).
 *
 * <p>Rules so far:
 *
 * <ol>
 *   <li>Deletes win: an instruction on an object that a concurrent change erased is dropped.
 *   <li>Last update wins, per property, by (timestamp, client file ident): an update that a
 *       concurrent update of the same property beats is dropped.
 * </ol>
 */
public final class Transformer {

  private Transformer() {}

  /** {@code incoming} rewritten to apply after {@code concurrent}, which are already applied. */
  public static Changeset transform(Changeset incoming, List<Changeset> concurrent) {
    if (concurrent.isEmpty()) {
      return incoming;
    }
    Conflicts conflicts = Conflicts.of(concurrent);
    List<Instruction> kept =
        incoming.instructions().stream()
            .filter(instruction -> !conflicts.overrule(instruction, incoming))
            .toList();
    return kept.size() == incoming.instructions().size()
        ? incoming
        : incoming.withInstructions(kept);
  }

  /** What a set of concurrent changesets did, indexed for the rules above. */
  private record Conflicts(Set<ObjectKey> erased, Map<PropertyKey, Changeset> latestUpdates) {

    static Conflicts of(List<Changeset> changesets) {
      Set<ObjectKey> erased = new HashSet<>();
      Map<PropertyKey, Changeset> latest = new HashMap<>();
      for (Changeset changeset : changesets) {
        for (Instruction instruction : changeset.instructions()) {
          if (instruction instanceof EraseObject erase) {
            erased.add(erase.object());
          } else if (instruction instanceof Update update) {
            latest.merge(
                PropertyKey.of(update),
                changeset,
                (current, candidate) -> candidate.winsOver(current) ? candidate : current);
          }
        }
      }
      return new Conflicts(erased, latest);
    }

    boolean overrule(Instruction instruction, Changeset owner) {
      if (instruction instanceof CreateObject create) {
        return erased.contains(create.object());
      } else if (instruction instanceof Update update) {
        return erased.contains(update.object()) || beaten(update, owner);
      }
      return false; // Erases are never overruled: deletes win.
    }

    private boolean beaten(Update update, Changeset owner) {
      Changeset rival = latestUpdates.get(PropertyKey.of(update));
      return rival != null && rival.winsOver(owner);
    }
  }

  private record PropertyKey(ObjectKey object, String property) {
    static PropertyKey of(Update update) {
      return new PropertyKey(update.object(), update.property());
    }
  }
}

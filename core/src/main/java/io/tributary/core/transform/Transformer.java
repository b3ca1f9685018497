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
 * Operational transformation of a changeset against the changesets applied since its base.
 *
 * <p>The same function runs on the server (an upload against the history entries after its base)
 * and on the client (a download against the client's own changesets that the server has not
 * integrated yet). Changesets from the incoming one's own client are not concurrent with it; they
 * only matter for what they erased. For concurrent A and B, applying A then transform(B, [A]) gives
 * the same state as applying B then transform(A, [B]).
 *
 * <p>Rules so far:
 *
 * <ol>
 *   <li>Deletes win: an instruction on an object that a concurrent change erased is dropped.
 *   <li>Last update wins, per property, by (timestamp, client file ident): an update is dropped if
 *       a concurrent update of the same property beats it, unless that object was erased after the
 *       concurrent update (the incoming update is then on a new incarnation of the object).
 * </ol>
 */
public final class Transformer {

  private Transformer() {}

  /**
   * {@code incoming} rewritten to apply after {@code appliedSince}: the changesets applied since
   * the incoming one's base, in the order they were applied.
   */
  public static Changeset transform(Changeset incoming, List<Changeset> appliedSince) {
    if (appliedSince.isEmpty()) {
      return incoming;
    }
    Conflicts conflicts = Conflicts.of(incoming, appliedSince);
    List<Instruction> kept =
        incoming.instructions().stream()
            .filter(instruction -> !conflicts.overrule(instruction, incoming))
            .toList();
    return kept.size() == incoming.instructions().size()
        ? incoming
        : incoming.withInstructions(kept);
  }

  /** What the concurrent changesets did, indexed for the rules above. */
  private record Conflicts(Set<ObjectKey> erased, Map<PropertyKey, Changeset> liveUpdates) {

    static Conflicts of(Changeset incoming, List<Changeset> appliedSince) {
      Set<ObjectKey> erased = new HashSet<>();
      Map<PropertyKey, Changeset> live = new HashMap<>();
      // Walk backwards so that, at each update, we know whether its object was erased later.
      Set<ObjectKey> erasedLater = new HashSet<>(erasedBy(incoming));
      for (int i = appliedSince.size() - 1; i >= 0; i--) {
        Changeset changeset = appliedSince.get(i);
        boolean concurrent = changeset.originIdent() != incoming.originIdent();
        List<Instruction> instructions = changeset.instructions();
        for (int j = instructions.size() - 1; j >= 0; j--) {
          Instruction instruction = instructions.get(j);
          if (instruction instanceof EraseObject erase) {
            erasedLater.add(erase.object());
            if (concurrent) {
              erased.add(erase.object());
            }
          } else if (concurrent
              && instruction instanceof Update update
              && !erasedLater.contains(update.object())) {
            live.merge(
                PropertyKey.of(update),
                changeset,
                (current, candidate) -> candidate.winsOver(current) ? candidate : current);
          }
        }
      }
      return new Conflicts(erased, live);
    }

    private static Set<ObjectKey> erasedBy(Changeset changeset) {
      Set<ObjectKey> keys = new HashSet<>();
      for (Instruction instruction : changeset.instructions()) {
        if (instruction instanceof EraseObject erase) {
          keys.add(erase.object());
        }
      }
      return keys;
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
      Changeset rival = liveUpdates.get(PropertyKey.of(update));
      return rival != null && rival.winsOver(owner);
    }
  }

  private record PropertyKey(ObjectKey object, String property) {
    static PropertyKey of(Update update) {
      return new PropertyKey(update.object(), update.property());
    }
  }
}

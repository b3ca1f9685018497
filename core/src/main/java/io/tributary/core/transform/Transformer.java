package io.tributary.core.transform;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.ListInstruction;
import io.tributary.core.changeset.Instruction.SetClear;
import io.tributary.core.changeset.Instruction.SetErase;
import io.tributary.core.changeset.Instruction.SetInsert;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Values;
import java.util.ArrayList;
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
 * integrated yet), both through {@link #merge}, which walks the grid pair by pair so that list
 * positions stay meaningful. For concurrent A and B, applying A then transform(B, [A]) gives the
 * same state as applying B then transform(A, [B]).
 *
 * <p>"Later" below means higher (timestamp, client file ident) of the changesets; between changes
 * of a property (updates and additions), a higher sync precedence comes first. Rules:
 *
 * <ol>
 *   <li>Deletes win: any instruction on an object that a concurrent change erased is dropped.
 *   <li>Last update wins, per property: an update is dropped if a later concurrent update of the
 *       same property exists.
 *   <li>Counters add: concurrent additions all count. An addition is dropped if a later concurrent
 *       update sets the property; an update absorbs the later concurrent additions.
 *   <li>Set membership: of concurrent insertions and removals of the same element, the later wins.
 *       A clear wins over concurrent insertions and removals, as a delete does.
 *   <li>Lists: element changes move by index past concurrent ones ({@link ListPositions}); setting
 *       a whole list wins over concurrent changes of its elements.
 * </ol>
 *
 * A concurrent instruction counts only if its object was not erased after it: an incoming change
 * that follows an erase (by anyone) is on a new incarnation of the object.
 */
public final class Transformer {

  private Transformer() {}

  /**
   * {@code incoming} rewritten to apply after {@code appliedSince}: the concurrent changesets
   * applied since the incoming one's base, in the order they were applied.
   */
  public static Changeset transform(Changeset incoming, List<Changeset> appliedSince) {
    Set<ObjectKey> objects = objectsOf(incoming);
    Changeset current = incoming;
    for (Changeset other : appliedSince) {
      if (touches(other, objects)) {
        current = transformPair(current, other);
      }
    }
    return current;
  }

  /**
   * Both sides of a merge: {@code incoming} rewritten to apply after {@code concurrent}, and each
   * concurrent changeset rewritten to apply after {@code incoming} (as transformed against the
   * concurrent changesets before it). Applying {@code concurrent} then the transformed incoming
   * gives the same state as applying {@code incoming} then the transformed concurrent ones.
   */
  public static Merged merge(Changeset incoming, List<Changeset> concurrent) {
    Changeset current = incoming;
    List<Changeset> rebased = new ArrayList<>(concurrent.size());
    Set<ObjectKey> objects = objectsOf(incoming);
    for (Changeset other : concurrent) {
      if (touches(other, objects)) {
        rebased.add(transformPair(other, current));
        current = transformPair(current, other);
      } else {
        rebased.add(other);
      }
    }
    return new Merged(current, rebased);
  }

  /**
   * Whether {@code other} touches one of {@code objects}. Conflicts only ever concern the same
   * object, so most pairs of a merge need no transform at all; the incoming changeset's objects are
   * collected once, as a transform only ever drops or adds instructions on them.
   */
  private static boolean touches(Changeset other, Set<ObjectKey> objects) {
    for (Instruction instruction : other.instructions()) {
      if (objects.contains(instruction.object())) {
        return true;
      }
    }
    return false;
  }

  private static Set<ObjectKey> objectsOf(Changeset changeset) {
    Set<ObjectKey> objects = new HashSet<>();
    for (Instruction instruction : changeset.instructions()) {
      objects.add(instruction.object());
    }
    return objects;
  }

  /** The outcome of {@link #merge}. */
  public record Merged(Changeset incoming, List<Changeset> concurrent) {}

  /**
   * One cell of the merge grid. Positions of list instructions are only meaningful between two
   * changesets made on the same state, which is why sequences are merged pair by pair.
   */
  private static Changeset transformPair(Changeset incoming, Changeset other) {
    Conflicts conflicts = Conflicts.of(incoming, List.of(other));
    List<Instruction> transformed = new ArrayList<>(incoming.instructions().size());
    boolean changed = false;
    for (Instruction instruction : incoming.instructions()) {
      List<Instruction> result = conflicts.transform(instruction, incoming);
      changed |= result.size() != 1 || result.get(0) != instruction;
      transformed.addAll(result);
    }
    return changed ? incoming.withInstructions(transformed) : incoming;
  }

  private record PropertyKey(ObjectKey object, String property) {}

  private record ElementKey(ObjectKey object, String relation, long target) {}

  /** Where a property change stands among concurrent ones: precedence first, then time. */
  private record Stamp(long precedence, Changeset changeset) {
    boolean beats(Stamp other) {
      if (precedence != other.precedence) {
        return precedence > other.precedence;
      }
      return changeset.winsOver(other.changeset);
    }

    static Stamp higher(Stamp current, Stamp candidate) {
      return candidate.beats(current) ? candidate : current;
    }
  }

  /** A concurrent addition to a counter, and where it stands. */
  private record Addition(Stamp stamp, long delta) {}

  /**
   * A concurrent instruction on a relation, where it stands: in which changeset, at which index.
   * Two of them are ordered by their changesets, or by their index within the same changeset.
   */
  private record RelationChange(Changeset changeset, int index, boolean inserted) {
    boolean after(RelationChange other) {
      return changeset == other.changeset
          ? index > other.index
          : changeset.winsOver(other.changeset);
    }

    static RelationChange later(RelationChange current, RelationChange candidate) {
      return candidate.after(current) ? candidate : current;
    }
  }

  /**
   * A concurrent list instruction, rewritten as the incoming changeset's instructions on the same
   * list pass it (the inner row of the merge grid); null once one of them overrules it.
   */
  private static final class ListChange {
    private ListInstruction instruction;
    private final Changeset owner;

    ListChange(ListInstruction instruction, Changeset owner) {
      this.instruction = instruction;
      this.owner = owner;
    }
  }

  /** What the concurrent changesets did that still counts, indexed for the rules above. */
  private static final class Conflicts {
    private final Set<ObjectKey> erased = new HashSet<>();
    private final Map<PropertyKey, Stamp> latestUpdates = new HashMap<>();
    private final Map<PropertyKey, List<Addition>> additions = new HashMap<>();
    private final Map<ElementKey, RelationChange> latestElementChanges = new HashMap<>();
    private final Map<PropertyKey, RelationChange> latestClears = new HashMap<>();
    private final Map<PropertyKey, List<ListChange>> listChanges = new HashMap<>();
    private final Map<PropertyKey, Boolean> ownResets = new HashMap<>();
    private final Set<ObjectKey> ownErased = new HashSet<>();

    static Conflicts of(Changeset incoming, List<Changeset> appliedSince) {
      Conflicts conflicts = new Conflicts();
      // Walk backwards so that, at each instruction, we know whether its object was erased later.
      Set<ObjectKey> erasedLater = new HashSet<>(erasedBy(incoming));
      for (int i = appliedSince.size() - 1; i >= 0; i--) {
        Changeset changeset = appliedSince.get(i);
        boolean concurrent = changeset.originIdent() != incoming.originIdent();
        List<Instruction> instructions = changeset.instructions();
        for (int j = instructions.size() - 1; j >= 0; j--) {
          Instruction instruction = instructions.get(j);
          if (concurrent && instruction instanceof ListInstruction element) {
            conflicts.noteListChange(element, changeset);
          }
          if (instruction instanceof EraseObject erase) {
            erasedLater.add(erase.object());
            if (concurrent) {
              conflicts.erased.add(erase.object());
            }
          } else if (concurrent && !erasedLater.contains(instruction.object())) {
            conflicts.note(instruction, changeset, j);
          }
        }
      }
      return conflicts;
    }

    /** Walking backwards: each change goes before the ones noted so far. */
    private void noteListChange(ListInstruction element, Changeset changeset) {
      listChanges
          .computeIfAbsent(
              new PropertyKey(element.object(), element.property()), k -> new ArrayList<>())
          .add(0, new ListChange(element, changeset));
    }

    private void note(Instruction instruction, Changeset changeset, int index) {
      if (instruction instanceof Update update) {
        latestUpdates.merge(key(update), new Stamp(update.precedence(), changeset), Stamp::higher);
      } else if (instruction instanceof AddInteger add) {
        additions
            .computeIfAbsent(new PropertyKey(add.object(), add.property()), k -> new ArrayList<>())
            .add(new Addition(new Stamp(add.precedence(), changeset), add.delta()));
      } else if (instruction instanceof SetInsert insert) {
        latestElementChanges.merge(
            new ElementKey(insert.object(), insert.relation(), insert.target()),
            new RelationChange(changeset, index, true),
            RelationChange::later);
      } else if (instruction instanceof SetErase remove) {
        latestElementChanges.merge(
            new ElementKey(remove.object(), remove.relation(), remove.target()),
            new RelationChange(changeset, index, false),
            RelationChange::later);
      } else if (instruction instanceof SetClear clear) {
        latestClears.merge(
            new PropertyKey(clear.object(), clear.relation()),
            new RelationChange(changeset, index, false),
            RelationChange::later);
      }
    }

    /** What the instruction becomes after the concurrent changesets: nothing, itself, or more. */
    List<Instruction> transform(Instruction instruction, Changeset owner) {
      if (instruction instanceof EraseObject) {
        ownErased.add(instruction.object());
        return List.of(instruction); // Deletes win.
      }
      if (erased.contains(instruction.object())) {
        return List.of();
      }
      if (instruction instanceof Update update) {
        Stamp stamp = new Stamp(update.precedence(), owner);
        boolean overruled = beats(latestUpdates.get(key(update)), stamp);
        ownResets.put(key(update), !overruled);
        return overruled ? List.of() : List.of(absorbAdditions(update, stamp));
      } else if (instruction instanceof ListInstruction element) {
        ListInstruction result = listChange(element, owner);
        return result == null ? List.of() : List.of(result);
      } else if (instruction instanceof AddInteger add) {
        Stamp stamp = new Stamp(add.precedence(), owner);
        return beats(latestUpdates.get(new PropertyKey(add.object(), add.property())), stamp)
            ? List.of()
            : List.of(add);
      } else if (instruction instanceof SetInsert insert) {
        return elementChange(insert, owner, insert.relation(), insert.target());
      } else if (instruction instanceof SetErase remove) {
        return elementChange(remove, owner, remove.relation(), remove.target());
      } else if (instruction instanceof SetClear clear) {
        return keepLaterInsertions(clear, owner);
      }
      return List.of(instruction); // CreateObject: only an erase overrules it.
    }

    /**
     * A list instruction after the concurrent ones. Setting a whole list wins over concurrent
     * changes of its elements, as a delete does; after this changeset's own reset (or re-creation
     * of the object) the concurrent element changes no longer matter; otherwise the instruction's
     * index moves past each concurrent element change in turn, and each of those moves past it.
     */
    private ListInstruction listChange(ListInstruction element, Changeset owner) {
      PropertyKey key = new PropertyKey(element.object(), element.property());
      Boolean ownResetSurvived = ownResets.get(key);
      if (ownResetSurvived != null) {
        return ownResetSurvived ? element : null;
      }
      if (ownErased.contains(element.object())) {
        return element;
      }
      if (latestUpdates.containsKey(key)) {
        return null;
      }
      ListInstruction current = element;
      for (ListChange concurrent : listChanges.getOrDefault(key, List.of())) {
        if (concurrent.instruction == null) {
          continue;
        }
        boolean later = owner.winsOver(concurrent.owner);
        ListInstruction moved = ListPositions.after(current, concurrent.instruction, later);
        concurrent.instruction = ListPositions.after(concurrent.instruction, current, !later);
        current = moved;
        if (current == null) {
          return null;
        }
      }
      return current;
    }

    private List<Instruction> elementChange(
        Instruction change, Changeset owner, String relation, long target) {
      RelationChange element =
          latestElementChanges.get(new ElementKey(change.object(), relation, target));
      RelationChange clear = latestClears.get(new PropertyKey(change.object(), relation));
      return later(element, owner) || later(clear, owner) ? List.of() : List.of(change);
    }

    /**
     * A clear, followed by the elements that a later concurrent change inserted and that are still
     * there: inserted after any concurrent clear, and not removed since.
     */
    private List<Instruction> keepLaterInsertions(SetClear clear, Changeset owner) {
      RelationChange rivalClear =
          latestClears.get(new PropertyKey(clear.object(), clear.relation()));
      List<Instruction> result = new ArrayList<>();
      result.add(clear);
      latestElementChanges.entrySet().stream()
          .filter(e -> e.getKey().object().equals(clear.object()))
          .filter(e -> e.getKey().relation().equals(clear.relation()))
          .filter(e -> e.getValue().inserted() && later(e.getValue(), owner))
          .filter(e -> rivalClear == null || e.getValue().after(rivalClear))
          .map(e -> e.getKey().target())
          .sorted()
          .forEach(target -> result.add(new SetInsert(clear.object(), clear.relation(), target)));
      return result;
    }

    private static boolean later(RelationChange rival, Changeset owner) {
      return rival != null && rival.changeset().winsOver(owner);
    }

    /** An update keeps the concurrent additions made after it: they happened on top of it. */
    private Instruction absorbAdditions(Update update, Stamp stamp) {
      long delta = 0;
      for (Addition addition : additions.getOrDefault(key(update), List.of())) {
        if (addition.stamp().beats(stamp)) {
          delta += addition.delta();
        }
      }
      return delta == 0
          ? update
          : new Update(
              update.object(),
              update.property(),
              Values.plus(update.value(), delta),
              update.precedence());
    }

    private static boolean beats(Stamp rival, Stamp owner) {
      return rival != null && rival.beats(owner);
    }

    private static PropertyKey key(Update update) {
      return new PropertyKey(update.object(), update.property());
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
  }
}

package io.tributary.core.transform;

import io.tributary.core.changeset.Instruction.ArrayErase;
import io.tributary.core.changeset.Instruction.ArrayInsert;
import io.tributary.core.changeset.Instruction.ArrayMove;
import io.tributary.core.changeset.Instruction.ArraySet;
import io.tributary.core.changeset.Instruction.ListInstruction;

/**
 * Index arithmetic between two concurrent instructions on the same list: where one lands once the
 * other has been applied. Positions are of two kinds: an element (set, erase, the source of a move)
 * follows its element or vanishes with it; a gap (an insertion, the target of a move) shifts with
 * the elements around it, and two things landing in the same gap are ordered by time, the earlier
 * first.
 */
final class ListPositions {

  private static final int ERASED = -1;

  private ListPositions() {}

  /**
   * {@code a} rewritten to apply after {@code b}, or null if {@code b} overrules it.
   *
   * @param aLater whether {@code a}'s changeset is later than {@code b}'s
   */
  static ListInstruction after(ListInstruction a, ListInstruction b, boolean aLater) {
    if (a instanceof ArrayInsert insert) {
      return new ArrayInsert(
          insert.object(), insert.property(), gap(b, insert.index(), !aLater), insert.value());
    }
    if (a instanceof ArraySet set) {
      int index = element(b, set.index());
      boolean overwritten = b instanceof ArraySet other && other.index() == set.index() && !aLater;
      return index == ERASED || overwritten
          ? null
          : new ArraySet(set.object(), set.property(), index, set.value());
    }
    if (a instanceof ArrayErase erase) {
      int index = element(b, erase.index());
      return index == ERASED ? null : new ArrayErase(erase.object(), erase.property(), index);
    }
    return moveAfter((ArrayMove) a, b, aLater);
  }

  /** A move follows its element; its target shifts with the other elements. */
  private static ArrayMove moveAfter(ArrayMove move, ListInstruction b, boolean moveLater) {
    int from = element(b, move.from());
    if (from == ERASED) {
      return null; // Deletes win.
    }
    if (b instanceof ArrayMove other && other.from() == move.from()) {
      // Both moved the same element: the later move wins. A move to where the element already is
      // is kept: it still overrules a third concurrent move of the element.
      return moveLater
          ? new ArrayMove(move.object(), move.property(), other.to(), move.to())
          : null;
    }
    return new ArrayMove(
        move.object(), move.property(), from, targetAfter(move, from, b, !moveLater));
  }

  /**
   * The move's target is a gap of the list without the moved element; {@code b} restricted to that
   * list shifts it.
   */
  private static int targetAfter(ArrayMove move, int movedTo, ListInstruction b, boolean first) {
    int source = move.from();
    int target = move.to();
    if (b instanceof ArrayInsert insert) {
      return gapAfterInsert(target, withoutSource(insert.index(), source), first);
    }
    if (b instanceof ArrayErase erase) {
      return gapAfterErase(target, withoutSource(erase.index(), source));
    }
    if (b instanceof ArrayMove other) {
      int otherTo = other.to() > movedTo ? other.to() - 1 : other.to();
      return gapAfterMove(target, withoutSource(other.from(), source), otherTo, first);
    }
    return target;
  }

  private static int withoutSource(int index, int source) {
    return index > source ? index - 1 : index;
  }

  /** Where the element at {@code index} is after {@code b}, or {@link #ERASED}. */
  static int element(ListInstruction b, int index) {
    if (b instanceof ArrayInsert insert) {
      return index < insert.index() ? index : index + 1;
    }
    if (b instanceof ArrayErase erase) {
      if (index == erase.index()) {
        return ERASED;
      }
      return index < erase.index() ? index : index - 1;
    }
    if (b instanceof ArrayMove move) {
      if (index == move.from()) {
        return move.to();
      }
      int without = withoutSource(index, move.from());
      return without >= move.to() ? without + 1 : without;
    }
    return index;
  }

  /**
   * Where the gap before {@code index} is after {@code b}. {@code first}: whether what lands there
   * goes before what {@code b} put in the same gap.
   */
  private static int gap(ListInstruction b, int index, boolean first) {
    if (b instanceof ArrayInsert insert) {
      return gapAfterInsert(index, insert.index(), first);
    }
    if (b instanceof ArrayErase erase) {
      return gapAfterErase(index, erase.index());
    }
    if (b instanceof ArrayMove move) {
      return gapAfterMove(index, move.from(), move.to(), first);
    }
    return index;
  }

  private static int gapAfterInsert(int gap, int inserted, boolean first) {
    if (gap != inserted) {
      return gap < inserted ? gap : gap + 1;
    }
    return first ? gap : gap + 1;
  }

  private static int gapAfterErase(int gap, int erased) {
    return gap <= erased ? gap : gap - 1;
  }

  /** A move is a removal, then an insertion of the element at {@code to}. */
  private static int gapAfterMove(int gap, int from, int to, boolean first) {
    return gapAfterInsert(withoutSource(gap, from), to, first);
  }
}

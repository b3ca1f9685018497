package io.tributary.core.changeset;

/**
 * One step of a changeset. Every instruction names the object it touches, so the transform can tell
 * which instructions of two concurrent changesets meet.
 */
public sealed interface Instruction {

  ObjectKey object();

  /** Creates the object if it does not exist; creating an existing object changes nothing. */
  record CreateObject(ObjectKey object) implements Instruction {}

  /** Erases the object and all its properties. */
  record EraseObject(ObjectKey object) implements Instruction {}

  /**
   * Sets one property of an existing object.
   *
   * @param precedence the change's sync precedence (see {@link
   *     io.tributary.core.state.LocalReplica#stamp}): between concurrent changes of a property, the
   *     higher wins before timestamps are compared
   */
  record Update(ObjectKey object, String property, Value value, long precedence)
      implements Instruction {
    public Update(ObjectKey object, String property, Value value) {
      this(object, property, value, 0);
    }

    public Update withPrecedence(long newPrecedence) {
      return new Update(object, property, value, newPrecedence);
    }
  }

  /**
   * Adds {@code delta} to an integer property (a counter): concurrent additions all count.
   *
   * @param precedence as for {@link Update}
   */
  record AddInteger(ObjectKey object, String property, long delta, long precedence)
      implements Instruction {
    public AddInteger(ObjectKey object, String property, long delta) {
      this(object, property, delta, 0);
    }

    public AddInteger withPrecedence(long newPrecedence) {
      return new AddInteger(object, property, delta, newPrecedence);
    }
  }

  /** Adds {@code target} to a to-many relation of the object. */
  record SetInsert(ObjectKey object, String relation, long target) implements Instruction {}

  /** Removes {@code target} from a to-many relation of the object. */
  record SetErase(ObjectKey object, String relation, long target) implements Instruction {}

  /** Removes every target from a to-many relation of the object. */
  record SetClear(ObjectKey object, String relation) implements Instruction {}

  /**
   * An instruction on the elements of a vector property (an ordered list), by index. A list is set
   * or cleared as a whole by an {@link Update} with a {@link Value.Vector}.
   */
  sealed interface ListInstruction extends Instruction {
    String property();
  }

  /** Inserts {@code value} at {@code index} (0 to the list's size): later elements move up. */
  record ArrayInsert(ObjectKey object, String property, int index, Value value)
      implements ListInstruction {}

  /** Replaces the element at {@code index}. */
  record ArraySet(ObjectKey object, String property, int index, Value value)
      implements ListInstruction {}

  /** Removes the element at {@code index}: later elements move down. */
  record ArrayErase(ObjectKey object, String property, int index) implements ListInstruction {}

  /**
   * Moves the element at {@code from} so that it ends at index {@code to}: as if removed, then
   * inserted at {@code to} of the shorter list.
   */
  record ArrayMove(ObjectKey object, String property, int from, int to)
      implements ListInstruction {}
}

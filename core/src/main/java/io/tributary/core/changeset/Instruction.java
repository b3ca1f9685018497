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

  /** Sets one property of an existing object. */
  record Update(ObjectKey object, String property, Value value) implements Instruction {}

  /** Adds {@code delta} to an integer property (a counter): concurrent additions all count. */
  record AddInteger(ObjectKey object, String property, long delta) implements Instruction {}

  /** Adds {@code target} to a to-many relation of the object. */
  record SetInsert(ObjectKey object, String relation, long target) implements Instruction {}

  /** Removes {@code target} from a to-many relation of the object. */
  record SetErase(ObjectKey object, String relation, long target) implements Instruction {}

  /** Removes every target from a to-many relation of the object. */
  record SetClear(ObjectKey object, String relation) implements Instruction {}
}

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
}

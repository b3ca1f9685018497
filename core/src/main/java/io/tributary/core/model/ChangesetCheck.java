package io.tributary.core.model;

import io.tributary.core.changeset.Changeset;

/** Whether a changeset may be taken: {@link ChangesetValidator} checks it against a model. */
@FunctionalInterface
public interface ChangesetCheck {

  /**
   * @throws SchemaViolation if it may not, saying why
   */
  void validate(Changeset changeset);
}

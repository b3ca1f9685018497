package io.tributary.core.session;

import io.tributary.core.model.ChangesetValidator;
import io.tributary.core.model.Renames;

/**
 * The schema version one message is checked and translated by: uploads must fit its model, and
 * history stores them under their first names.
 */
public record UploadSchema(ChangesetValidator validator, Renames renames) {}

package io.tributary.core.session;

import io.tributary.core.model.ChangesetCheck;
import io.tributary.core.model.Renames;

/**
 * The schema version one message is checked and translated by: uploads must fit its model, and
 * history stores them under their first names.
 */
public record UploadSchema(ChangesetCheck validator, Renames renames) {}

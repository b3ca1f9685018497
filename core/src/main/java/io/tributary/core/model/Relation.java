package io.tributary.core.model;

/** A standalone to-many relation of an entity to the entity with uid {@code targetId.uid()}. */
public record Relation(String name, IdUid id, IdUid targetId) {}

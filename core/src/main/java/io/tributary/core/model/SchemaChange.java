package io.tributary.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a new model changes against the current schema version, matched by uid as ObjectBox does (a
 * rename keeps the uid). Adding, renaming and removing are compatible: data written under the old
 * model still means the same. Changing a uid's type, its target or its ID role, or reusing a
 * retired uid, is not: old data would be read as something it is not.
 *
 * @param compatible one line per compatible difference, e.g. {@code property Task.done added}
 * @param incompatible one line per difference that makes the new model unusable
 */
public record SchemaChange(List<String> compatible, List<String> incompatible) {

  public SchemaChange {
    compatible = List.copyOf(compatible);
    incompatible = List.copyOf(incompatible);
  }

  /** Compares {@code next} with {@code current}. */
  public static SchemaChange between(Model current, Model next) {
    Comparison comparison = new Comparison(current, next);
    comparison.compareEntities();
    return new SchemaChange(comparison.compatible, comparison.incompatible);
  }

  public boolean unchanged() {
    return compatible.isEmpty() && incompatible.isEmpty();
  }

  public boolean isCompatible() {
    return incompatible.isEmpty();
  }

  private static final class Comparison {
    private final Model current;
    private final Model next;
    private final List<String> compatible = new ArrayList<>();
    private final List<String> incompatible = new ArrayList<>();

    Comparison(Model current, Model next) {
      this.current = current;
      this.next = next;
    }

    void compareEntities() {
      Map<Long, Entity> before = byUid(current.entities(), e -> e.id().uid());
      Map<Long, Entity> after = byUid(next.entities(), e -> e.id().uid());
      for (Entity entity : next.entities()) {
        long uid = entity.id().uid();
        Entity old = before.get(uid);
        if (current.retired().entities().contains(uid)) {
          incompatible.add(
              "entity " + entity.name() + " reuses the retired entity uid " + unsigned(uid));
        } else if (old == null) {
          compatible.add("entity " + entity.name() + " added");
          checkAddedMembers(entity);
        } else {
          compareEntity(old, entity);
        }
      }
      before.values().stream()
          .filter(entity -> !after.containsKey(entity.id().uid()))
          .forEach(entity -> compatible.add("entity " + entity.name() + " removed"));
      if (!next.retired().equals(current.retired()) && incompatible.isEmpty()) {
        compatible.add("retired uids updated");
      }
    }

    private void compareEntity(Entity old, Entity entity) {
      if (!old.name().equals(entity.name())) {
        compatible.add("entity " + old.name() + " renamed to " + entity.name());
      }
      if (old.flags() != entity.flags()) {
        compatible.add(
            "entity " + entity.name() + " flags " + old.flags() + " -> " + entity.flags());
      }
      compareProperties(old, entity);
      compareRelations(old, entity);
    }

    /** A new entity's properties and relations must not reuse a retired or existing uid. */
    private void checkAddedMembers(Entity entity) {
      for (Property property : entity.properties()) {
        long uid = property.id().uid();
        String name = entity.name() + "." + property.name();
        if (current.retired().properties().contains(uid)) {
          incompatible.add(
              "property " + name + " reuses the retired property uid " + unsigned(uid));
        } else {
          ownerInCurrent(uid)
              .ifPresent(
                  owner ->
                      incompatible.add(
                          "property " + name + " has the uid of " + owner.name() + "'s property"));
        }
      }
      for (Relation relation : entity.relations()) {
        long uid = relation.id().uid();
        if (current.retired().relations().contains(uid)) {
          incompatible.add(
              "relation "
                  + entity.name()
                  + "."
                  + relation.name()
                  + " reuses the retired relation uid "
                  + unsigned(uid));
        }
      }
    }

    private void compareProperties(Entity old, Entity entity) {
      Map<Long, Property> before = byUid(old.properties(), p -> p.id().uid());
      Map<Long, Property> after = byUid(entity.properties(), p -> p.id().uid());
      for (Property property : entity.properties()) {
        long uid = property.id().uid();
        String name = entity.name() + "." + property.name();
        Property previous = before.get(uid);
        Optional<Entity> elsewhere = ownerInCurrent(uid).filter(owner -> owner != old);
        if (current.retired().properties().contains(uid)) {
          incompatible.add(
              "property " + name + " reuses the retired property uid " + unsigned(uid));
        } else if (elsewhere.isPresent()) {
          incompatible.add(
              "property " + name + " has the uid of " + elsewhere.get().name() + "'s property");
        } else if (previous == null) {
          compatible.add("property " + name + " added");
        } else {
          compareProperty(entity, previous, property);
        }
      }
      before.values().stream()
          .filter(property -> !after.containsKey(property.id().uid()))
          .forEach(
              property ->
                  compatible.add("property " + entity.name() + "." + property.name() + " removed"));
    }

    private void compareProperty(Entity entity, Property old, Property property) {
      String name = entity.name() + "." + property.name();
      if (old.type() != property.type()) {
        incompatible.add(
            "property " + name + " changes type from " + old.type() + " to " + property.type());
      }
      if (old.isId() != property.isId()) {
        incompatible.add(
            "property " + name + (property.isId() ? " becomes" : " stops being") + " the ID");
      }
      if (!Objects.equals(targetUid(current, old), targetUid(next, property))) {
        incompatible.add("property " + name + " changes its relation target");
      }
      if (!old.name().equals(property.name())) {
        compatible.add(
            "property " + entity.name() + "." + old.name() + " renamed to " + property.name());
      }
      if (old.flags() != property.flags()) {
        compatible.add("property " + name + " flags " + old.flags() + " -> " + property.flags());
      }
    }

    private void compareRelations(Entity old, Entity entity) {
      Map<Long, Relation> before = byUid(old.relations(), r -> r.id().uid());
      Map<Long, Relation> after = byUid(entity.relations(), r -> r.id().uid());
      for (Relation relation : entity.relations()) {
        long uid = relation.id().uid();
        String name = entity.name() + "." + relation.name();
        Relation previous = before.get(uid);
        if (current.retired().relations().contains(uid)) {
          incompatible.add(
              "relation " + name + " reuses the retired relation uid " + unsigned(uid));
        } else if (previous == null) {
          compatible.add("relation " + name + " added");
        } else if (previous.targetId().uid() != relation.targetId().uid()) {
          incompatible.add("relation " + name + " changes its target");
        } else if (!previous.name().equals(relation.name())) {
          compatible.add(
              "relation "
                  + entity.name()
                  + "."
                  + previous.name()
                  + " renamed to "
                  + relation.name());
        }
      }
      before.values().stream()
          .filter(relation -> !after.containsKey(relation.id().uid()))
          .forEach(
              relation ->
                  compatible.add("relation " + entity.name() + "." + relation.name() + " removed"));
    }

    private Optional<Entity> ownerInCurrent(long propertyUid) {
      return current.entities().stream()
          .filter(e -> e.properties().stream().anyMatch(p -> p.id().uid() == propertyUid))
          .findFirst();
    }

    /** A to-one relation's target as a uid: a renamed target is still the same target. */
    private static Long targetUid(Model model, Property property) {
      if (property.relationTarget() == null) {
        return null;
      }
      return model.entity(property.relationTarget()).map(e -> e.id().uid()).orElse(null);
    }

    private static <T> Map<Long, T> byUid(List<T> items, Function<T, Long> uid) {
      return items.stream().collect(Collectors.toMap(uid, item -> item));
    }

    private static String unsigned(long uid) {
      return Long.toUnsignedString(uid);
    }
  }
}

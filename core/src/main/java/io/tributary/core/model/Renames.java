package io.tributary.core.model;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.ArrayErase;
import io.tributary.core.changeset.Instruction.ArrayInsert;
import io.tributary.core.changeset.Instruction.ArrayMove;
import io.tributary.core.changeset.Instruction.ArraySet;
import io.tributary.core.changeset.Instruction.CreateObject;
import io.tributary.core.changeset.Instruction.EraseObject;
import io.tributary.core.changeset.Instruction.SetClear;
import io.tributary.core.changeset.Instruction.SetErase;
import io.tributary.core.changeset.Instruction.SetInsert;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names as clients use them (the current schema version's) and as history stores them. History
 * keeps the name an entity, property or relation had when its uid first appeared, so a rename in a
 * later schema version changes nothing stored: the gateway translates at its boundary. What the
 * current version has removed is not shown to clients.
 *
 * <p>A stored name is unique: a new uid that takes a name an older uid stored under is stored as
 * {@code name#uid}.
 */
public final class Renames {

  /** No schema change renamed or removed anything: names pass as they are. */
  public static final Renames NONE = new Renames(Map.of(), Map.of(), Map.of(), Map.of(), true);

  private final Map<String, String> entityToStored;
  private final Map<String, String> entityToCurrent;
  // Keyed by the entity's current name, then by its stored name.
  private final Map<String, Map<String, String>> memberToStored;
  private final Map<String, Map<String, String>> memberToCurrent;
  private final boolean identity;

  private Renames(
      Map<String, String> entityToStored,
      Map<String, String> entityToCurrent,
      Map<String, Map<String, String>> memberToStored,
      Map<String, Map<String, String>> memberToCurrent,
      boolean identity) {
    this.entityToStored = entityToStored;
    this.entityToCurrent = entityToCurrent;
    this.memberToStored = memberToStored;
    this.memberToCurrent = memberToCurrent;
    this.identity = identity;
  }

  /** The names of the last of {@code versions} (oldest first) against those history stores. */
  public static Renames of(List<Model> versions) {
    StoredNames entities = new StoredNames();
    Map<Long, StoredNames> members = new HashMap<>();
    for (Model model : versions) {
      for (Entity entity : model.entities()) {
        entities.see(entity.id().uid(), entity.name());
        StoredNames names = members.computeIfAbsent(entity.id().uid(), uid -> new StoredNames());
        entity.properties().forEach(p -> names.see(p.id().uid(), p.name()));
        entity.relations().forEach(r -> names.see(r.id().uid(), r.name()));
      }
    }
    Model current = versions.get(versions.size() - 1);
    Map<String, String> entityToStored = new HashMap<>();
    Map<String, String> entityToCurrent = new HashMap<>();
    Map<String, Map<String, String>> memberToStored = new HashMap<>();
    Map<String, Map<String, String>> memberToCurrent = new HashMap<>();
    boolean identity = entities.count() == current.entities().size();
    for (Entity entity : current.entities()) {
      String stored = entities.of(entity.id().uid());
      entityToStored.put(entity.name(), stored);
      entityToCurrent.put(stored, entity.name());
      identity &= stored.equals(entity.name());
      StoredNames names = members.get(entity.id().uid());
      Map<String, String> toStored = new HashMap<>();
      Map<String, String> toCurrent = new HashMap<>();
      Map<Long, String> currentNames = new HashMap<>();
      entity.properties().forEach(p -> currentNames.put(p.id().uid(), p.name()));
      entity.relations().forEach(r -> currentNames.put(r.id().uid(), r.name()));
      for (Map.Entry<Long, String> member : currentNames.entrySet()) {
        String storedMember = names.of(member.getKey());
        toStored.put(member.getValue(), storedMember);
        toCurrent.put(storedMember, member.getValue());
        identity &= storedMember.equals(member.getValue());
      }
      identity &= names.count() == currentNames.size();
      memberToStored.put(entity.name(), toStored);
      memberToCurrent.put(stored, toCurrent);
    }
    return identity
        ? NONE
        : new Renames(entityToStored, entityToCurrent, memberToStored, memberToCurrent, false);
  }

  /** Whether names pass unchanged both ways. */
  public boolean isIdentity() {
    return identity;
  }

  /** A client's changeset, valid for the current model, in the names history stores. */
  public Changeset toStored(Changeset changeset) {
    if (identity) {
      return changeset;
    }
    List<Instruction> renamed = new ArrayList<>(changeset.instructions().size());
    for (Instruction instruction : changeset.instructions()) {
      String entity = instruction.object().entity();
      Map<String, String> members = memberToStored.getOrDefault(entity, Map.of());
      renamed.add(
          rename(
              instruction,
              entityToStored.getOrDefault(entity, entity),
              member -> members.getOrDefault(member, member)));
    }
    return with(changeset, renamed);
  }

  /**
   * A stored changeset in the current names, without the instructions on what the current model has
   * removed (possibly none left: the changeset still holds its place in history).
   */
  public Changeset toCurrent(Changeset changeset) {
    if (identity) {
      return changeset;
    }
    List<Instruction> renamed = new ArrayList<>(changeset.instructions().size());
    for (Instruction instruction : changeset.instructions()) {
      String stored = instruction.object().entity();
      String entity = entityToCurrent.get(stored);
      Map<String, String> members = memberToCurrent.get(stored);
      Optional<String> member = member(instruction);
      if (entity == null || member.isPresent() && !members.containsKey(member.get())) {
        continue; // Removed from the model.
      }
      renamed.add(rename(instruction, entity, members::get));
    }
    return with(changeset, renamed);
  }

  /** The name history stores a current entity under (itself when nothing was renamed). */
  public String entityToStored(String current) {
    return identity ? current : entityToStored.getOrDefault(current, current);
  }

  /** A stored entity name in the current model, or empty if the current model removed it. */
  public Optional<String> entityToCurrent(String stored) {
    return identity ? Optional.of(stored) : Optional.ofNullable(entityToCurrent.get(stored));
  }

  /** A stored property or relation name in the current model, or empty if it was removed. */
  public Optional<String> memberToCurrent(String storedEntity, String storedMember) {
    if (identity) {
      return Optional.of(storedMember);
    }
    return Optional.ofNullable(
        memberToCurrent.getOrDefault(storedEntity, Map.of()).get(storedMember));
  }

  /** The name history stores a current property or relation under (itself when not renamed). */
  public String memberToStored(String currentEntity, String currentMember) {
    return identity
        ? currentMember
        : memberToStored
            .getOrDefault(currentEntity, Map.of())
            .getOrDefault(currentMember, currentMember);
  }

  /**
   * The stored names of the entities of {@code current} (the model these names are of) that are
   * called otherwise than {@code before} called them, or one of whose properties or relations is:
   * what a copy of the data kept under the names of {@code before} must write again. New entities
   * and members are not renames.
   */
  public java.util.Set<String> renamedSince(Renames before, Model current) {
    java.util.Set<String> renamed = new java.util.TreeSet<>();
    for (Entity entity : current.entities()) {
      String stored = entityToStored(entity.name());
      Optional<String> earlier = before.entityToCurrent(stored);
      if (earlier.isPresent() && !earlier.get().equals(entity.name())) {
        renamed.add(stored);
        continue;
      }
      List<String> members = new ArrayList<>();
      entity.properties().forEach(property -> members.add(property.name()));
      entity.relations().forEach(relation -> members.add(relation.name()));
      for (String member : members) {
        Optional<String> earlierMember =
            before.memberToCurrent(stored, memberToStored(entity.name(), member));
        if (earlierMember.isPresent() && !earlierMember.get().equals(member)) {
          renamed.add(stored);
          break;
        }
      }
    }
    return renamed;
  }

  private static Changeset with(Changeset changeset, List<Instruction> instructions) {
    return new Changeset(
        changeset.clientVersion(),
        changeset.baseVersion(),
        changeset.timestamp(),
        changeset.originIdent(),
        instructions);
  }

  private static Optional<String> member(Instruction instruction) {
    if (instruction instanceof Update u) {
      return Optional.of(u.property());
    } else if (instruction instanceof AddInteger a) {
      return Optional.of(a.property());
    } else if (instruction instanceof SetInsert s) {
      return Optional.of(s.relation());
    } else if (instruction instanceof SetErase s) {
      return Optional.of(s.relation());
    } else if (instruction instanceof SetClear s) {
      return Optional.of(s.relation());
    } else if (instruction instanceof Instruction.ListInstruction l) {
      return Optional.of(l.property());
    }
    return Optional.empty();
  }

  private static Instruction rename(
      Instruction instruction, String entity, java.util.function.UnaryOperator<String> member) {
    ObjectKey object = new ObjectKey(entity, instruction.object().id());
    if (instruction instanceof CreateObject) {
      return new CreateObject(object);
    } else if (instruction instanceof EraseObject) {
      return new EraseObject(object);
    } else if (instruction instanceof Update u) {
      return new Update(object, member.apply(u.property()), u.value(), u.precedence());
    } else if (instruction instanceof AddInteger a) {
      return new AddInteger(object, member.apply(a.property()), a.delta(), a.precedence());
    } else if (instruction instanceof SetInsert s) {
      return new SetInsert(object, member.apply(s.relation()), s.target());
    } else if (instruction instanceof SetErase s) {
      return new SetErase(object, member.apply(s.relation()), s.target());
    } else if (instruction instanceof SetClear s) {
      return new SetClear(object, member.apply(s.relation()));
    } else if (instruction instanceof ArrayInsert a) {
      return new ArrayInsert(object, member.apply(a.property()), a.index(), a.value());
    } else if (instruction instanceof ArraySet a) {
      return new ArraySet(object, member.apply(a.property()), a.index(), a.value());
    } else if (instruction instanceof ArrayErase a) {
      return new ArrayErase(object, member.apply(a.property()), a.index());
    } else if (instruction instanceof ArrayMove m) {
      return new ArrayMove(object, member.apply(m.property()), m.from(), m.to());
    }
    throw new IllegalArgumentException("unknown instruction " + instruction);
  }

  /** The first name of each uid in one namespace, made unique. */
  private static final class StoredNames {
    private final Map<Long, String> byUid = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    void see(long uid, String name) {
      if (!byUid.containsKey(uid)) {
        String stored = taken.contains(name) ? name + "#" + Long.toUnsignedString(uid) : name;
        byUid.put(uid, stored);
        taken.add(stored);
      }
    }

    String of(long uid) {
      return byUid.get(uid);
    }

    int count() {
      return byUid.size();
    }
  }
}

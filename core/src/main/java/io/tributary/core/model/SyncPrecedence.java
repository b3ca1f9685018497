package io.tributary.core.model;

import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.Instruction.AddInteger;
import io.tributary.core.changeset.Instruction.Update;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.core.changeset.Values;
import io.tributary.core.state.ObjectStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sync precedence of the objects a transaction touches, as the model defines it: the value of
 * the entity's SYNC_PRECEDENCE property once the transaction is done (0 without one).
 */
public final class SyncPrecedence {

  private final Model model;

  public SyncPrecedence(Model model) {
    this.model = model;
  }

  /** Each touched object's precedence after {@code instructions} apply to {@code before}. */
  public Map<ObjectKey, Long> after(List<Instruction> instructions, ObjectStore before) {
    Map<ObjectKey, Value> values = new HashMap<>();
    for (Instruction instruction : instructions) {
      Optional<String> property = precedenceProperty(instruction.object().entity());
      if (property.isEmpty()) {
        continue;
      }
      Value current =
          values.computeIfAbsent(
              instruction.object(),
              key ->
                  before
                      .get(key)
                      .map(properties -> properties.getOrDefault(property.get(), Value.NULL))
                      .orElse(Value.NULL));
      if (instruction instanceof Update update && update.property().equals(property.get())) {
        values.put(instruction.object(), update.value());
      } else if (instruction instanceof AddInteger add && add.property().equals(property.get())) {
        values.put(instruction.object(), Values.plus(current, add.delta()));
      }
    }
    Map<ObjectKey, Long> precedence = new HashMap<>();
    values.forEach(
        (key, value) ->
            precedence.put(key, value instanceof Value.Int integer ? integer.value() : 0L));
    return precedence;
  }

  private Optional<String> precedenceProperty(String entity) {
    return model
        .entity(entity)
        .flatMap(
            e ->
                e.properties().stream()
                    .filter(p -> p.hasFlag(Property.FLAG_SYNC_PRECEDENCE))
                    .map(Property::name)
                    .findFirst());
  }
}

package io.tributary.schemas.codec;

import io.tributary.core.changeset.Changeset;
import io.tributary.core.changeset.Instruction;
import io.tributary.core.changeset.ObjectKey;
import io.tributary.core.changeset.Value;
import io.tributary.schemas.AddInteger;
import io.tributary.schemas.ArrayErase;
import io.tributary.schemas.ArrayInsert;
import io.tributary.schemas.ArrayMove;
import io.tributary.schemas.ArraySet;
import io.tributary.schemas.CreateObject;
import io.tributary.schemas.EraseObject;
import io.tributary.schemas.ListValue;
import io.tributary.schemas.SetClear;
import io.tributary.schemas.SetErase;
import io.tributary.schemas.SetInsert;
import io.tributary.schemas.UpdateProperty;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Converts changesets between the core model and their Avro form. */
public final class ChangesetCodec {

  static {
    AvroTrust.ensure();
  }

  private ChangesetCodec() {}

  public static io.tributary.schemas.Changeset toAvro(Changeset changeset) {
    List<Object> instructions = new ArrayList<>(changeset.instructions().size());
    for (Instruction instruction : changeset.instructions()) {
      instructions.add(toAvro(instruction));
    }
    return new io.tributary.schemas.Changeset(
        changeset.clientVersion(),
        changeset.baseVersion(),
        changeset.timestamp(),
        changeset.originIdent(),
        instructions);
  }

  public static Changeset fromAvro(io.tributary.schemas.Changeset avro) {
    List<Instruction> instructions = new ArrayList<>(avro.getInstructions().size());
    for (Object instruction : avro.getInstructions()) {
      instructions.add(instructionFromAvro(instruction));
    }
    return new Changeset(
        avro.getClientVersion(),
        avro.getBaseVersion(),
        avro.getTimestamp(),
        avro.getOriginIdent(),
        instructions);
  }

  /** The size of a changeset in Avro binary encoding, as it travels in messages and records. */
  public static long encodedSize(io.tributary.schemas.Changeset changeset) {
    try {
      return changeset.toByteBuffer().remaining();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static List<io.tributary.schemas.Changeset> toAvro(List<Changeset> changesets) {
    return changesets.stream().map(ChangesetCodec::toAvro).toList();
  }

  public static List<Changeset> fromAvro(List<io.tributary.schemas.Changeset> changesets) {
    return changesets.stream().map(ChangesetCodec::fromAvro).toList();
  }

  private static Object toAvro(Instruction instruction) {
    ObjectKey key = instruction.object();
    if (instruction instanceof Instruction.CreateObject) {
      return new CreateObject(key.entity(), key.id());
    } else if (instruction instanceof Instruction.EraseObject) {
      return new EraseObject(key.entity(), key.id());
    } else if (instruction instanceof Instruction.Update update) {
      return new UpdateProperty(
          key.entity(), key.id(), update.property(), toAvro(update.value()), update.precedence());
    } else if (instruction instanceof Instruction.AddInteger add) {
      return new AddInteger(key.entity(), key.id(), add.property(), add.delta(), add.precedence());
    } else if (instruction instanceof Instruction.SetInsert insert) {
      return new SetInsert(key.entity(), key.id(), insert.relation(), insert.target());
    } else if (instruction instanceof Instruction.SetErase remove) {
      return new SetErase(key.entity(), key.id(), remove.relation(), remove.target());
    } else if (instruction instanceof Instruction.SetClear clear) {
      return new SetClear(key.entity(), key.id(), clear.relation());
    }
    return listToAvro((Instruction.ListInstruction) instruction);
  }

  private static Object listToAvro(Instruction.ListInstruction instruction) {
    ObjectKey key = instruction.object();
    if (instruction instanceof Instruction.ArrayInsert insert) {
      return new ArrayInsert(
          key.entity(), key.id(), insert.property(), insert.index(), toAvro(insert.value()));
    } else if (instruction instanceof Instruction.ArraySet set) {
      return new ArraySet(key.entity(), key.id(), set.property(), set.index(), toAvro(set.value()));
    } else if (instruction instanceof Instruction.ArrayErase erase) {
      return new ArrayErase(key.entity(), key.id(), erase.property(), erase.index());
    }
    Instruction.ArrayMove move = (Instruction.ArrayMove) instruction;
    return new ArrayMove(key.entity(), key.id(), move.property(), move.from(), move.to());
  }

  private static Instruction instructionFromAvro(Object instruction) {
    if (instruction instanceof CreateObject create) {
      return new Instruction.CreateObject(new ObjectKey(create.getEntity(), create.getId()));
    } else if (instruction instanceof EraseObject erase) {
      return new Instruction.EraseObject(new ObjectKey(erase.getEntity(), erase.getId()));
    } else if (instruction instanceof UpdateProperty update) {
      return new Instruction.Update(
          new ObjectKey(update.getEntity(), update.getId()),
          update.getProperty(),
          valueFromAvro(update.getValue()),
          update.getPrecedence());
    } else if (instruction instanceof AddInteger add) {
      return new Instruction.AddInteger(
          new ObjectKey(add.getEntity(), add.getId()),
          add.getProperty(),
          add.getDelta(),
          add.getPrecedence());
    } else if (instruction instanceof SetInsert insert) {
      return new Instruction.SetInsert(
          new ObjectKey(insert.getEntity(), insert.getId()),
          insert.getRelation(),
          insert.getTarget());
    } else if (instruction instanceof SetErase remove) {
      return new Instruction.SetErase(
          new ObjectKey(remove.getEntity(), remove.getId()),
          remove.getRelation(),
          remove.getTarget());
    } else if (instruction instanceof SetClear clear) {
      return new Instruction.SetClear(
          new ObjectKey(clear.getEntity(), clear.getId()), clear.getRelation());
    }
    return listFromAvro(instruction);
  }

  private static Instruction listFromAvro(Object instruction) {
    if (instruction instanceof ArrayInsert insert) {
      return new Instruction.ArrayInsert(
          new ObjectKey(insert.getEntity(), insert.getId()),
          insert.getProperty(),
          insert.getIndex(),
          valueFromAvro(insert.getValue()));
    } else if (instruction instanceof ArraySet set) {
      return new Instruction.ArraySet(
          new ObjectKey(set.getEntity(), set.getId()),
          set.getProperty(),
          set.getIndex(),
          valueFromAvro(set.getValue()));
    } else if (instruction instanceof ArrayErase erase) {
      return new Instruction.ArrayErase(
          new ObjectKey(erase.getEntity(), erase.getId()), erase.getProperty(), erase.getIndex());
    } else if (instruction instanceof ArrayMove move) {
      return new Instruction.ArrayMove(
          new ObjectKey(move.getEntity(), move.getId()),
          move.getProperty(),
          move.getFrom(),
          move.getTo());
    }
    throw new IllegalArgumentException("not an instruction: " + instruction);
  }

  /** The Avro union member for a value: null, Boolean, Long, Double, String or ByteBuffer. */
  public static Object toAvro(Value value) {
    if (value instanceof Value.Bool bool) {
      return bool.value();
    } else if (value instanceof Value.Int integer) {
      return integer.value();
    } else if (value instanceof Value.Float floating) {
      return floating.value();
    } else if (value instanceof Value.Text text) {
      return text.value();
    } else if (value instanceof Value.Bytes bytes) {
      return ByteBuffer.wrap(bytes.value());
    } else if (value instanceof Value.Ids ids) {
      return List.copyOf(ids.ids());
    } else if (value instanceof Value.Vector vector) {
      return new ListValue(vector.elements().stream().map(ChangesetCodec::toAvro).toList());
    }
    return null;
  }

  public static Value valueFromAvro(Object value) {
    if (value == null) {
      return Value.NULL;
    } else if (value instanceof Boolean bool) {
      return Value.of(bool);
    } else if (value instanceof Long integer) {
      return Value.of(integer);
    } else if (value instanceof Double floating) {
      return Value.of(floating);
    } else if (value instanceof CharSequence text) {
      return Value.of(text.toString());
    } else if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return Value.of(bytes);
    } else if (value instanceof List<?> ids) {
      return Value.ids(ids.stream().map(id -> (Long) id).toList());
    } else if (value instanceof ListValue list) {
      return new Value.Vector(
          list.getElements().stream().map(ChangesetCodec::valueFromAvro).toList());
    }
    throw new IllegalArgumentException("not a value: " + value);
  }
}

package io.tributary.client;

import io.tributary.core.changeset.Value;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Maps Java records to the model's entities: the record's simple name is the entity, a {@code long
 * id} component is the object id, every other component is the property of that name. Integers,
 * floats, booleans, strings, {@code byte[]} and lists of those map to the protocol's values; a null
 * is a null property.
 */
final class RecordMapper {

  private RecordMapper() {}

  static String entityOf(Class<? extends Record> type) {
    return type.getSimpleName();
  }

  static long idOf(Record record) {
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (component.getName().equals("id")) {
        return ((Number) read(component, record)).longValue();
      }
    }
    throw new IllegalArgumentException(
        record.getClass().getSimpleName() + " has no id component: add a long id");
  }

  /** The properties of a record, without its id. */
  static Map<String, Value> properties(Record record) {
    Map<String, Value> properties = new LinkedHashMap<>();
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      if (!component.getName().equals("id")) {
        properties.put(component.getName(), toValue(read(component, record)));
      }
    }
    return properties;
  }

  /** The record of an object: missing properties take the type's default. */
  static <T extends Record> T toRecord(Class<T> type, long id, SortedMap<String, Value> object) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] arguments = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      arguments[i] =
          component.getName().equals("id")
              ? convert(Value.of(id), component)
              : convert(object.getOrDefault(component.getName(), Value.NULL), component);
    }
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new IllegalArgumentException("cannot make a " + type.getSimpleName() + ": " + e, e);
    }
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalArgumentException("cannot read " + component.getName() + ": " + e, e);
    }
  }

  static Value toValue(Object value) {
    if (value == null) {
      return Value.NULL;
    } else if (value instanceof Boolean bool) {
      return Value.of(bool);
    } else if (value instanceof Float || value instanceof Double) {
      return Value.of(((Number) value).doubleValue());
    } else if (value instanceof Number number) {
      return Value.of(number.longValue());
    } else if (value instanceof Character character) {
      return Value.of((long) character);
    } else if (value instanceof String text) {
      return Value.of(text);
    } else if (value instanceof byte[] bytes) {
      return Value.of(bytes);
    } else if (value instanceof List<?> list) {
      List<Value> elements = new ArrayList<>(list.size());
      list.forEach(element -> elements.add(toValue(element)));
      return new Value.Vector(elements);
    }
    throw new IllegalArgumentException("no property type holds a " + value.getClass().getName());
  }

  private static Object convert(Value value, RecordComponent component) {
    Class<?> type = component.getType();
    if (value instanceof Value.Null) {
      return defaultOf(type);
    } else if (value instanceof Value.Bool bool) {
      return bool.value();
    } else if (value instanceof Value.Int integer) {
      return integerAs(type, integer.value());
    } else if (value instanceof Value.Float floating) {
      return type == float.class || type == Float.class
          ? (Object) (float) floating.value()
          : floating.value();
    } else if (value instanceof Value.Text text) {
      return text.value();
    } else if (value instanceof Value.Bytes bytes) {
      return bytes.value();
    } else if (value instanceof Value.Vector vector) {
      Class<?> element =
          component.getGenericType() instanceof ParameterizedType generic
                  && generic.getActualTypeArguments()[0] instanceof Class<?> argument
              ? argument
              : Object.class;
      List<Object> elements = new ArrayList<>();
      for (Value item : vector.elements()) {
        elements.add(
            item instanceof Value.Int integer
                ? integerAs(element, integer.value())
                : item instanceof Value.Float floating
                    ? (Object) floating.value()
                    : item instanceof Value.Bool bool
                        ? (Object) bool.value()
                        : ((Value.Text) item).value());
      }
      return List.copyOf(elements);
    }
    throw new IllegalArgumentException(
        "property " + component.getName() + " holds " + value + ", not a " + type.getName());
  }

  private static Object integerAs(Class<?> type, long value) {
    if (type == int.class || type == Integer.class) {
      return (int) value;
    } else if (type == short.class || type == Short.class) {
      return (short) value;
    } else if (type == byte.class || type == Byte.class) {
      return (byte) value;
    } else if (type == char.class || type == Character.class) {
      return (char) value;
    }
    return value;
  }

  private static Object defaultOf(Class<?> type) {
    if (!type.isPrimitive()) {
      return null;
    } else if (type == boolean.class) {
      return false;
    } else if (type == char.class) {
      return (char) 0;
    } else if (type == float.class) {
      return 0f;
    } else if (type == double.class) {
      return 0d;
    }
    return integerAs(type, 0);
  }
}

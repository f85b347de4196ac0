package dev.loam.typed;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link Codec} of a class once: its components, their types and annotations, and
 * method handles for the constructor and accessors (so reads and writes do no reflective lookup).
 *
 * <p>Implementation notes. A record's components come from {@link Class#getRecordComponents()};
 * any other class (a Kotlin data class, a Java value class) needs one public constructor with
 * the most parameters among the non-synthetic ones, whose parameter names are in the class file
 * ({@code javac -parameters}, {@code kotlinc -java-parameters}) and each match a public getter
 * ({@code getX()}, {@code isX()}, {@code x()}) or a public field. Annotations are read from the
 * record component or the constructor parameter (where Kotlin puts them by default). Handles come
 * from the caller's lookup, else a private lookup in the class when its module opens the package
 * to {@code dev.loam.typed}, else the public lookup. Self-referencing classes are fine: a shape is
 * registered before its fields are compiled.
 */
final class Compiler {
  private final MethodHandles.Lookup lookup;
  private final Map<Class<?>, Codec.Shape> shapes = new HashMap<>();

  private Compiler(MethodHandles.@Nullable Lookup lookup) {
    this.lookup = lookup == null ? MethodHandles.lookup() : lookup;
  }

  static Codec.Shape compile(Class<?> type, MethodHandles.@Nullable Lookup lookup) {
    return new Compiler(lookup).shape(type);
  }

  private Codec.Shape shape(Class<?> type) {
    Codec.Shape known = shapes.get(type);
    if (known != null) {
      return known;
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type.isPrimitive() || type.isArray()) {
      throw new MappingException(type.getName() + " is not a record or a class with a primary constructor");
    }
    Codec.Shape shape = new Codec.Shape(type);
    shapes.put(type, shape);
    MethodHandles.Lookup in = lookupIn(type);
    List<Codec.Field> fields = new ArrayList<>();
    Constructor<?> ctor;
    try {
      if (type.isRecord()) {
        RecordComponent[] components = type.getRecordComponents();
        ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        for (RecordComponent rc : components) {
          fields.add(field(type, rc.getName(), rc, rc.getAnnotatedType(), in.unreflect(rc.getAccessor())));
        }
      } else {
        ctor = primaryConstructor(type);
        for (Parameter p : ctor.getParameters()) {
          fields.add(field(type, p.getName(), p, p.getAnnotatedType(), getter(type, p, in)));
        }
      }
      shape.constructor = in.unreflectConstructor(ctor).asSpreader(Object[].class, fields.size())
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new MappingException(type.getName() + " is not accessible to Loam: " + e.getMessage()
          + " (open its package to dev.loam.typed, or pass MethodHandles.lookup() to Mapper.of)", e);
    }
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).key()) {
        keys.add(i);
      }
    }
    if (keys.size() > 1) {
      throw new MappingException(type.getName() + " has more than one @Key component");
    }
    shape.fields = List.copyOf(fields);
    shape.keyIndex = keys.isEmpty() ? -1 : keys.get(0);
    return shape;
  }

  private MethodHandles.Lookup lookupIn(Class<?> type) {
    if (lookup.lookupClass().getModule() != Compiler.class.getModule()) {
      try {
        return MethodHandles.privateLookupIn(type, lookup); // the caller's module: any of its classes
      } catch (IllegalAccessException otherModule) {
        return lookup; // the caller's own lookup: it reaches what the caller reaches
      }
    }
    try {
      // a named module reads no other module by default; reflection on the app's classes needs it
      Compiler.class.getModule().addReads(type.getModule());
      return MethodHandles.privateLookupIn(type, lookup);
    } catch (IllegalAccessException notOpen) {
      return MethodHandles.publicLookup();
    }
  }

  private static Constructor<?> primaryConstructor(Class<?> type) {
    Constructor<?> best = null;
    for (Constructor<?> c : type.getConstructors()) {
      if (!c.isSynthetic() && (best == null || c.getParameterCount() > best.getParameterCount())) {
        best = c;
      }
    }
    if (best == null || best.getParameterCount() == 0) {
      throw new MappingException(type.getName() + " has no public constructor with parameters: the mapper builds values"
          + " through a primary constructor (a record's, a Kotlin data class's), not through setters");
    }
    for (Parameter p : best.getParameters()) {
      if (!p.isNamePresent()) {
        throw new MappingException(type.getName() + "'s constructor parameter names are not in its class file:"
            + " compile it with javac -parameters or kotlinc -java-parameters (Kotlin: <javaParameters>true</javaParameters>)");
      }
    }
    return best;
  }

  private static MethodHandle getter(Class<?> type, Parameter p, MethodHandles.Lookup in) throws IllegalAccessException {
    String name = p.getName();
    String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String candidate : List.of("get" + cap, "is" + cap, name)) {
      try {
        Method m = type.getMethod(candidate);
        if (!Modifier.isStatic(m.getModifiers()) && m.getReturnType() == p.getType()) {
          return in.unreflect(m);
        }
      } catch (NoSuchMethodException next) {
        // try the next naming convention
      }
    }
    try {
      Field f = type.getField(name);
      if (!Modifier.isStatic(f.getModifiers()) && f.getType() == p.getType()) {
        return in.unreflectGetter(f);
      }
    } catch (NoSuchFieldException none) {
      // reported below
    }
    throw new MappingException(type.getName() + " has no public getter get" + cap + "(), is" + cap + "() or " + name
        + "() nor a public field " + name + " of type " + p.getType().getSimpleName() + " for constructor parameter " + name);
  }

  private Codec.Field field(Class<?> owner, String name, AnnotatedElement element, AnnotatedType type, MethodHandle getter) {
    String where = owner.getSimpleName() + "." + name;
    Codec codec = codec(where, type, element.isAnnotationPresent(Text.class));
    Default declared = element.getAnnotation(Default.class);
    Object absent = declared == null ? Defaults.absent(codec) : Defaults.parse(where, codec, declared.value());
    MethodHandle g = getter.asType(MethodType.methodType(Object.class, Object.class));
    return new Codec.Field(name, codec, g, absent, element.isAnnotationPresent(Key.class));
  }

  private Codec codec(String where, AnnotatedType annotated, boolean text) {
    Type t = annotated.getType();
    boolean isText = text || annotated.isAnnotationPresent(Text.class);
    if (t instanceof Class<?> c) {
      return scalarOrShape(where, c, isText);
    }
    if (annotated instanceof AnnotatedParameterizedType apt && t instanceof ParameterizedType pt
        && pt.getRawType() instanceof Class<?> raw) {
      AnnotatedType[] args = apt.getAnnotatedActualTypeArguments();
      if (raw == Optional.class) {
        return new Codec.Opt(codec(where, bound(where, args[0]), isText));
      }
      if (raw == List.class) {
        return new Codec.Seq(codec(where + "[]", bound(where, args[0]), isText));
      }
      if (raw == Map.class) {
        if (bound(where, args[0]).getType() != String.class) {
          throw new MappingException(where + ": a map's keys must be Strings, not " + args[0].getType().getTypeName());
        }
        return new Codec.Dict(codec(where + "{}", bound(where, args[1]), isText));
      }
    }
    throw new MappingException(where + ": unsupported type " + t.getTypeName()
        + " (supported: records and classes of these, List, Map<String, …>, Optional, enums, String, boolean,"
        + " numbers, Instant, byte[], Counter)");
  }

  private static AnnotatedType bound(String where, AnnotatedType arg) {
    if (arg instanceof AnnotatedWildcardType w) {
      AnnotatedType[] upper = w.getAnnotatedUpperBounds();
      if (upper.length == 1) {
        return upper[0]; // Kotlin writes List<out T> as List<? extends T>
      }
    }
    if (arg.getType() instanceof Class<?> || arg.getType() instanceof ParameterizedType) {
      return arg;
    }
    throw new MappingException(where + ": unsupported type argument " + arg.getType().getTypeName());
  }

  @SuppressWarnings("unchecked")
  private Codec scalarOrShape(String where, Class<?> c, boolean text) {
    if (text && c != String.class) {
      throw new MappingException(where + ": @Text marks Strings only, not " + c.getSimpleName());
    }
    if (c == String.class) {
      return new Codec.Str(text);
    }
    if (c == boolean.class || c == Boolean.class) {
      return new Codec.Bool(c.isPrimitive());
    }
    if (c == long.class || c == Long.class) {
      return new Codec.Int(c, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (c == int.class || c == Integer.class) {
      return new Codec.Int(c, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (c == short.class || c == Short.class) {
      return new Codec.Int(c, Short.MIN_VALUE, Short.MAX_VALUE);
    }
    if (c == byte.class || c == Byte.class) {
      return new Codec.Int(c, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    if (c == double.class || c == Double.class || c == float.class || c == java.lang.Float.class) {
      return new Codec.Float(c);
    }
    if (c == Instant.class) {
      return new Codec.Time();
    }
    if (c == byte[].class) {
      return new Codec.Binary();
    }
    if (c == Counter.class) {
      return new Codec.Count();
    }
    if (c.isEnum()) {
      return new Codec.EnumName((Class<? extends Enum<?>>) c);
    }
    if (c.isPrimitive() || c.isArray() || c.getName().startsWith("java.")) {
      throw new MappingException(where + ": unsupported type " + c.getName());
    }
    return new Codec.Obj(shape(c));
  }
}

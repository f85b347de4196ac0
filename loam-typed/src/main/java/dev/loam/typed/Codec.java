package dev.loam.typed;

import java.lang.invoke.MethodHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one Java type is stored in a document: the closed set of shapes the mapper knows, built
 * once per class by {@link Compiler} and walked by {@link Hydrator} (reads) and {@link Reconciler}
 * (writes).
 */
sealed interface Codec {
  /** A {@code String}: a scalar string, or a text object when {@code text}. */
  record Str(boolean text) implements Codec {}

  /** A {@code boolean} or {@code Boolean}. */
  record Bool(boolean primitive) implements Codec {}

  /** An integral number, stored as a signed 64-bit integer, read back within [{@code min}, {@code max}]. */
  record Int(Class<?> type, long min, long max) implements Codec {}

  /** A {@code double}/{@code float} (or boxed), stored as a 64-bit float. */
  record Float(Class<?> type) implements Codec {}

  /** A {@code java.time.Instant}, stored as a timestamp (milliseconds). */
  record Time() implements Codec {}

  /** A {@code byte[]}, stored as a bytes scalar. */
  record Binary() implements Codec {}

  /** An enum, stored as its constant's name. */
  record EnumName(Class<? extends Enum<?>> type) implements Codec {}

  /** A {@link Counter}, stored as an Automerge counter. */
  record Count() implements Codec {}

  /** An {@code Optional}: empty is an absent key (or {@code null} in a list). */
  record Opt(Codec inner) implements Codec {}

  /** A {@code List}, stored as a list; elements are matched by their {@link Key} if they declare one, else by equality. */
  record Seq(Codec element) implements Codec {}

  /** A {@code Map<String, V>}, stored as a map whose keys are exactly the map's. */
  record Dict(Codec value) implements Codec {}

  /** A record or a class with a primary constructor, stored as a map of its components. */
  record Obj(Shape shape) implements Codec {}

  /**
   * One component of a record or class: its name in the document, its codec, the accessor
   * ({@code (Object) -> Object}), what it reads as when absent, and whether it is the {@link Key}.
   */
  record Field(String name, Codec codec, MethodHandle getter, @Nullable Object absent, boolean key) {}

  /** A record or class: its components in constructor order and the constructor ({@code (Object[]) -> Object}). */
  final class Shape {
    final Class<?> type;
    List<Field> fields = List.of(); // set once, right after creation (a shape may contain itself)
    @Nullable MethodHandle constructor;
    int keyIndex = -1; // the @Key field, or -1

    Shape(Class<?> type) {
      this.type = type;
    }
  }

  /** A name for messages. */
  static String describe(Codec c) {
    return switch (c) {
      case Str s -> s.text() ? "text" : "a string";
      case Bool b -> "a boolean";
      case Int i -> "an integer (" + i.type().getSimpleName() + ")";
      case Float f -> "a number";
      case Time t -> "a timestamp";
      case Binary b -> "bytes";
      case EnumName e -> "one of " + List.of(e.type().getEnumConstants());
      case Count k -> "a counter";
      case Opt o -> describe(o.inner());
      case Seq s -> "a list";
      case Dict d -> "a map";
      case Obj o -> "a map (" + o.shape().type.getSimpleName() + ")";
    };
  }
}

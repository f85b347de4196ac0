package dev.loam.typed;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What components read as when the document lacks them, and the boxing of numbers to their declared types. */
final class Defaults {
  private Defaults() {}

  /** The Java default: zero, false, empty, or null for other references. */
  static @Nullable Object absent(Codec codec) {
    return switch (codec) {
      case Codec.Bool b -> b.primitive() ? Boolean.FALSE : null;
      case Codec.Int i -> i.type().isPrimitive() ? integral(i.type(), 0) : null;
      case Codec.Float f -> f.type().isPrimitive() ? floating(f.type(), 0) : null;
      case Codec.Opt o -> Optional.empty();
      case Codec.Seq s -> List.of();
      case Codec.Dict d -> Map.of();
      case Codec.Count k -> Counter.ZERO;
      case Codec.Str s -> null;
      case Codec.Time t -> null;
      case Codec.Binary b -> null;
      case Codec.EnumName e -> null;
      case Codec.Obj o -> null;
    };
  }

  /** A {@link Default}'s text parsed for {@code codec}. */
  static Object parse(String where, Codec codec, String text) {
    try {
      return switch (codec) {
        case Codec.Str s -> text;
        case Codec.Bool b -> switch (text) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new IllegalArgumentException("not true or false");
        };
        case Codec.Int i -> {
          long v = Long.parseLong(text);
          if (v < i.min() || v > i.max()) {
            throw new IllegalArgumentException("out of range");
          }
          yield integral(i.type(), v);
        }
        case Codec.Float f -> floating(f.type(), Double.parseDouble(text));
        case Codec.Time t -> Instant.parse(text);
        case Codec.Count k -> new Counter(Long.parseLong(text));
        case Codec.EnumName e -> enumConstant(e, text).orElseThrow(() -> new IllegalArgumentException("no such constant"));
        case Codec.Opt o -> Optional.of(parse(where, o.inner(), text));
        case Codec.Binary b -> throw new IllegalArgumentException("bytes take no default");
        case Codec.Seq s -> throw new IllegalArgumentException("lists take no default");
        case Codec.Dict d -> throw new IllegalArgumentException("maps take no default");
        case Codec.Obj o -> throw new IllegalArgumentException("records take no default");
      };
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new MappingException(where + ": @Default(\"" + text + "\") is not " + Codec.describe(codec) + ": " + e.getMessage(), e);
    }
  }

  static Object integral(Class<?> type, long v) {
    if (type == int.class || type == Integer.class) {
      return (int) v;
    }
    if (type == short.class || type == Short.class) {
      return (short) v;
    }
    if (type == byte.class || type == Byte.class) {
      return (byte) v;
    }
    return v;
  }

  static Object floating(Class<?> type, double v) {
    return type == float.class || type == Float.class ? (Object) (float) v : (Object) v;
  }

  static Optional<Enum<?>> enumConstant(Codec.EnumName e, String name) {
    for (Enum<?> c : e.type().getEnumConstants()) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

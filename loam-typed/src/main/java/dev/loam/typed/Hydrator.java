package dev.loam.typed;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads Java values out of a document by their {@link Codec}s. */
final class Hydrator {
  private Hydrator() {}

  /**
   * The value at {@code path} (which holds {@code value}) as {@code codec} says; {@code absent}
   * when it is missing or {@code null}.
   */
  static @Nullable Object read(View view, Codec codec, Optional<Value> value, String path, @Nullable Object absent) {
    if (value.isEmpty() || value.get() instanceof ScalarValue.Null) {
      return absent;
    }
    Value v = value.get();
    Object result = switch (codec) {
      case Codec.Str s -> string(view, v);
      case Codec.Bool b -> v instanceof ScalarValue.Bool x ? x.value() : null;
      case Codec.Int i -> integral(i, v);
      case Codec.Float f -> floating(f, v);
      case Codec.Time t -> v instanceof ScalarValue.Timestamp x ? Instant.ofEpochMilli(x.millis()) : null;
      case Codec.Binary b -> v instanceof ScalarValue.BytesValue x ? x.value().toByteArray() : null;
      case Codec.EnumName e -> {
        String name = string(view, v);
        yield name == null ? null : Defaults.enumConstant(e, name).orElse(null);
      }
      case Codec.Count k -> switch (v) {
        case ScalarValue.Counter x -> new Counter(x.value());
        case ScalarValue.Int x -> new Counter(x.value());
        default -> null;
      };
      case Codec.Opt o -> Optional.ofNullable(read(view, o.inner(), value, path, null));
      case Codec.Seq s -> v instanceof Value.Obj o && o.type() == ObjType.LIST ? list(view, s, o.id(), path) : null;
      case Codec.Dict d -> map(view, v) instanceof ObjId id ? dict(view, d, id, path) : null;
      case Codec.Obj o -> map(view, v) instanceof ObjId id ? object(view, o.shape(), id, path) : null;
    };
    if (result == null) {
      throw new TypeMismatchException(path, Codec.describe(codec), View.describe(value));
    }
    return result;
  }

  static Object object(View view, Codec.Shape shape, ObjId id, String path) {
    List<Codec.Field> fields = shape.fields;
    Object[] args = new Object[fields.size()];
    for (int i = 0; i < args.length; i++) {
      Codec.Field f = fields.get(i);
      args[i] = read(view, f.codec(), view.get(id, f.name()), View.child(path, f.name()), f.absent());
    }
    try {
      return shape.constructor.invokeExact(args);
    } catch (RuntimeException | Error e) {
      throw new MappingException("at " + (path.isEmpty() ? "the root" : path) + ": " + shape.type.getSimpleName()
          + "'s constructor refused the document's values: " + e, e);
    } catch (Throwable t) {
      throw new MappingException("at " + path + ": " + shape.type.getSimpleName() + "'s constructor threw " + t, t);
    }
  }

  private static @Nullable ObjId map(View view, Value v) {
    return v instanceof Value.Obj o && (o.type() == ObjType.MAP || o.type() == ObjType.TABLE) ? o.id() : null;
  }

  private static List<Object> list(View view, Codec.Seq s, ObjId id, String path) {
    int n = view.length(id);
    List<Object> out = new ArrayList<>(n);
    Object absent = Defaults.absent(s.element());
    for (int i = 0; i < n; i++) {
      out.add(read(view, s.element(), view.get(id, i), View.child(path, i), absent));
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, Object> dict(View view, Codec.Dict d, ObjId id, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    Object absent = Defaults.absent(d.value());
    for (String key : view.keys(id)) {
      out.put(key, read(view, d.value(), view.get(id, key), View.child(path, key), absent));
    }
    return Collections.unmodifiableMap(out);
  }

  /** A scalar string or a text object's content (Automerge JS writes strings as text). */
  static @Nullable String string(View view, Value v) {
    return switch (v) {
      case ScalarValue.Str s -> s.value();
      case Value.Obj o when o.type() == ObjType.TEXT -> view.text(o.id());
      default -> null;
    };
  }

  private static @Nullable Object integral(Codec.Int i, Value v) {
    long x;
    switch (v) {
      case ScalarValue.Int n -> x = n.value();
      case ScalarValue.Uint n when n.value() >= 0 -> x = n.value();
      case ScalarValue.F64 n when n.value() == Math.rint(n.value()) && Math.abs(n.value()) < 0x1p63 -> x = (long) n.value();
      default -> {
        return null;
      }
    }
    return x < i.min() || x > i.max() ? null : Defaults.integral(i.type(), x);
  }

  private static @Nullable Object floating(Codec.Float f, Value v) {
    return switch (v) {
      case ScalarValue.F64 n -> Defaults.floating(f.type(), n.value());
      case ScalarValue.Int n -> Defaults.floating(f.type(), n.value());
      case ScalarValue.Uint n -> Defaults.floating(f.type(), n.value() >= 0 ? n.value() : Math.pow(2, 64) + n.value());
      default -> null;
    };
  }
}

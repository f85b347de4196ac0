package dev.loam.typed;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Deep equality of two values of one {@link Codec}, comparing {@code byte[]} by content (records compare arrays by reference). */
final class Equality {
  private Equality() {}

  static boolean equal(Codec codec, @Nullable Object a, @Nullable Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    return switch (codec) {
      case Codec.Binary x -> Arrays.equals((byte[]) a, (byte[]) b);
      case Codec.Opt o -> {
        Optional<?> oa = (Optional<?>) a;
        Optional<?> ob = (Optional<?>) b;
        yield oa.isPresent() == ob.isPresent() && (oa.isEmpty() || equal(o.inner(), oa.get(), ob.get()));
      }
      case Codec.Seq s -> {
        List<?> la = (List<?>) a;
        List<?> lb = (List<?>) b;
        if (la.size() != lb.size()) {
          yield false;
        }
        Iterator<?> ib = lb.iterator();
        for (Object x : la) {
          if (!equal(s.element(), x, ib.next())) {
            yield false;
          }
        }
        yield true;
      }
      case Codec.Dict d -> {
        Map<?, ?> ma = (Map<?, ?>) a;
        Map<?, ?> mb = (Map<?, ?>) b;
        if (!ma.keySet().equals(mb.keySet())) {
          yield false;
        }
        for (Map.Entry<?, ?> e : ma.entrySet()) {
          if (!equal(d.value(), e.getValue(), mb.get(e.getKey()))) {
            yield false;
          }
        }
        yield true;
      }
      case Codec.Obj o -> {
        for (Codec.Field f : o.shape().fields) {
          if (!equal(f.codec(), get(f, a), get(f, b))) {
            yield false;
          }
        }
        yield true;
      }
      case Codec.Str x -> a.equals(b);
      case Codec.Bool x -> a.equals(b);
      case Codec.Int x -> a.equals(b);
      case Codec.Float x -> a.equals(b);
      case Codec.Time x -> a.equals(b);
      case Codec.EnumName x -> a.equals(b);
      case Codec.Count x -> a.equals(b);
    };
  }

  /** Component {@code f} of {@code owner}. */
  static @Nullable Object get(Codec.Field f, Object owner) {
    try {
      return f.getter().invokeExact(owner);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new MappingException("reading " + f.name() + " of " + owner.getClass().getSimpleName() + " threw " + t, t);
    }
  }

  /** The identity of a list element: its {@link Key} if its class declares one, else the element itself. */
  static @Nullable Object identity(Codec element, @Nullable Object value) {
    if (value != null && element instanceof Codec.Obj o && o.shape().keyIndex >= 0) {
      return Objects.requireNonNullElse(get(o.shape().fields.get(o.shape().keyIndex), value), NO_KEY);
    }
    return value;
  }

  private static final Object NO_KEY = new Object();
}

package dev.loam.typed;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Transaction;
import dev.loam.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Writes a Java value into a transaction as the few operations that turn what the document holds
 * into that value: unchanged components emit nothing, lists change by inserts and deletes along
 * an edit script ({@link Diff}), text by splices along a character diff, counters by increments,
 * and map keys the class does not declare are left alone. Not thread-safe (as the transaction).
 */
final class Reconciler {
  final Transaction tx;
  final View view;

  Reconciler(Transaction tx) {
    this.tx = tx;
    this.view = new View(tx, null);
  }

  /** Where a value goes: a key of a map, an existing element of a list, or a new element inserted before {@code index}. */
  sealed interface Slot {
    ObjId obj();

    record At(ObjId obj, String key) implements Slot {}

    record Index(ObjId obj, int index) implements Slot {}

    record Insert(ObjId obj, int index) implements Slot {}
  }

  /** Writes {@code value} of {@code shape} into the map {@code id}. */
  void object(Codec.Shape shape, ObjId id, Object value, String path) {
    for (Codec.Field f : shape.fields) {
      reconcile(f.codec(), new Slot.At(id, f.name()), Equality.get(f, value), View.child(path, f.name()));
    }
  }

  void reconcile(Codec codec, Slot slot, @Nullable Object value, String path) {
    Optional<Value> current = current(slot);
    if (value == null || value instanceof Optional<?> o && o.isEmpty()) {
      if (slot instanceof Slot.Insert || current.isPresent() && !(current.get() instanceof ScalarValue.Null)) {
        remove(slot);
      }
      return;
    }
    switch (codec) {
      case Codec.Str s -> string(slot, current, s.text(), (String) value);
      case Codec.Bool b -> scalar(slot, current, ScalarValue.of((Boolean) value));
      case Codec.Int i -> scalar(slot, current, ScalarValue.of(((Number) value).longValue()));
      case Codec.Float f -> scalar(slot, current, ScalarValue.of(((Number) value).doubleValue()));
      case Codec.Time t -> scalar(slot, current, ScalarValue.timestamp(((Instant) value).toEpochMilli()));
      case Codec.Binary b -> scalar(slot, current, ScalarValue.bytes((byte[]) value));
      case Codec.EnumName e -> {
        String name = ((Enum<?>) value).name();
        if (!(current.isPresent() && current.get() instanceof Value.Obj o && o.type() == ObjType.TEXT
            && view.text(o.id()).equals(name))) {
          scalar(slot, current, ScalarValue.of(name));
        }
      }
      case Codec.Count k -> counter(slot, current, ((Counter) value).value());
      case Codec.Opt o -> reconcile(o.inner(), slot, ((Optional<?>) value).orElseThrow(), path);
      case Codec.Seq s -> {
        List<?> list = (List<?>) value;
        if (current.isPresent() && current.get() instanceof Value.Obj o && o.type() == ObjType.LIST) {
          list(s, o.id(), list, path);
        } else {
          ObjId id = create(slot, ObjType.LIST);
          for (int i = 0; i < list.size(); i++) {
            reconcile(s.element(), new Slot.Insert(id, i), list.get(i), View.child(path, i));
          }
        }
      }
      case Codec.Dict d -> {
        Map<?, ?> map = (Map<?, ?>) value;
        ObjId id = existingMap(current).orElseGet(() -> create(slot, ObjType.MAP));
        for (String key : view.keys(id)) {
          if (!map.containsKey(key)) {
            tx.delete(id, key);
          }
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = (String) e.getKey();
          reconcile(d.value(), new Slot.At(id, key), e.getValue(), View.child(path, key));
        }
      }
      case Codec.Obj o -> object(o.shape(), existingMap(current).orElseGet(() -> create(slot, ObjType.MAP)), value, path);
    }
  }

  static Optional<ObjId> existingMap(Optional<Value> current) {
    return current.isPresent() && current.get() instanceof Value.Obj o && (o.type() == ObjType.MAP || o.type() == ObjType.TABLE)
        ? Optional.of(o.id()) : Optional.empty();
  }

  void string(Slot slot, Optional<Value> current, boolean text, String value) {
    if (current.isPresent() && current.get() instanceof Value.Obj o && o.type() == ObjType.TEXT) {
      TextDiff.apply(tx, o.id(), view.text(o.id()), value);
    } else if (text) {
      tx.spliceText(create(slot, ObjType.TEXT), 0, 0, value);
    } else {
      scalar(slot, current, ScalarValue.of(value));
    }
  }

  void counter(Slot slot, Optional<Value> current, long value) {
    if (current.isPresent() && current.get() instanceof ScalarValue.Counter c) {
      long delta = value - c.value();
      if (delta != 0) {
        switch (slot) {
          case Slot.At at -> tx.increment(at.obj(), at.key(), delta);
          case Slot.Index ix -> tx.increment(ix.obj(), ix.index(), delta);
          case Slot.Insert ins -> throw new IllegalStateException("a new element has no counter yet");
        }
      }
    } else {
      put(slot, ScalarValue.counter(value));
    }
  }

  /** The list {@code id} becomes {@code target}: matched elements stay (keyed ones are reconciled in place), the rest are deleted or inserted. */
  private void list(Codec.Seq s, ObjId id, List<?> target, String path) {
    int n = view.length(id);
    Codec element = s.element();
    Object absent = Defaults.absent(element);
    List<Object> old = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      old.add(Hydrator.read(view, element, view.get(id, i), View.child(path, i), absent));
    }
    boolean keyed = element instanceof Codec.Obj o && o.shape().keyIndex >= 0;
    Diff.Same same = keyed
        ? (i, j) -> Objects.equals(Equality.identity(element, old.get(i)), Equality.identity(element, target.get(j)))
        : (i, j) -> Equality.equal(element, old.get(i), target.get(j));
    edit(id, n, target, same, keyed, (slot, value, at) -> reconcile(element, slot, value, at), path);
  }

  /** Writes one element of a list. */
  interface ElementWriter {
    void write(Slot slot, @Nullable Object value, String path);
  }

  /**
   * Turns the {@code n} elements of list {@code id} into {@code target} along the edit script of
   * {@code same}: deletes, inserts (through {@code writer}), and, when {@code rewriteKept}, writes
   * each kept element again (to reconcile it in place).
   */
  void edit(ObjId id, int n, List<?> target, Diff.Same same, boolean rewriteKept, ElementWriter writer, String path) {
    int pos = 0;
    int j = 0;
    for (byte step : Diff.script(n, target.size(), same)) {
      switch (step) {
        case Diff.KEEP -> {
          if (rewriteKept) {
            writer.write(new Slot.Index(id, pos), target.get(j), View.child(path, pos));
          }
          pos++;
          j++;
        }
        case Diff.DELETE -> tx.delete(id, pos);
        default -> {
          writer.write(new Slot.Insert(id, pos), target.get(j), View.child(path, pos));
          pos++;
          j++;
        }
      }
    }
  }

  void scalar(Slot slot, Optional<Value> current, ScalarValue target) {
    if (current.isEmpty() || !sameScalar(current.get(), target)) {
      put(slot, target);
    }
  }

  /** Whether the document's value already is {@code target} (numbers compare by value: JS writes whole numbers as integers). */
  static boolean sameScalar(Value current, ScalarValue target) {
    if (current.equals(target)) {
      return true;
    }
    return switch (target) {
      case ScalarValue.F64 f -> switch (current) {
        case ScalarValue.Int i -> (double) i.value() == f.value() && (long) f.value() == i.value();
        default -> false;
      };
      case ScalarValue.Int i -> switch (current) {
        case ScalarValue.Uint u -> u.value() == i.value() && i.value() >= 0;
        case ScalarValue.F64 f -> (double) i.value() == f.value() && (long) f.value() == i.value();
        default -> false;
      };
      default -> false;
    };
  }

  Optional<Value> current(Slot slot) {
    return switch (slot) {
      case Slot.At at -> view.get(at.obj(), at.key());
      case Slot.Index ix -> view.get(ix.obj(), ix.index());
      case Slot.Insert ins -> Optional.empty();
    };
  }

  void put(Slot slot, ScalarValue value) {
    switch (slot) {
      case Slot.At at -> tx.put(at.obj(), at.key(), value);
      case Slot.Index ix -> tx.put(ix.obj(), ix.index(), value);
      case Slot.Insert ins -> tx.insert(ins.obj(), ins.index(), value);
    }
  }

  ObjId create(Slot slot, ObjType type) {
    return switch (slot) {
      case Slot.At at -> tx.putObject(at.obj(), at.key(), type);
      case Slot.Index ix -> tx.putObject(ix.obj(), ix.index(), type);
      case Slot.Insert ins -> tx.insertObject(ins.obj(), ins.index(), type);
    };
  }

  /** An absent value: a map key is deleted, a list element becomes {@code null}. */
  void remove(Slot slot) {
    switch (slot) {
      case Slot.At at -> tx.delete(at.obj(), at.key());
      case Slot.Index ix -> tx.put(ix.obj(), ix.index(), ScalarValue.NULL);
      case Slot.Insert ins -> tx.insert(ins.obj(), ins.index(), ScalarValue.NULL);
    }
  }

}

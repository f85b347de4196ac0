package dev.loam.internal.doc;

import dev.loam.InvalidOperationException;
import dev.loam.Mark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Answers reads against an {@link OpSet}, now ({@code clock == null}) or as of a past clock. Present
 * reads use the cached winners and tree sums; past reads walk the object and recompute visibility.
 */
public final class DocReader {
  private final OpSet set;

  DocReader(OpSet set) {
    this.set = set;
  }

  OpSet opSet() {
    return set;
  }

  ObjState resolve(ObjId id, @Nullable Clock clock) {
    long packed = set.packObj(id);
    ObjState o = packed < 0 ? null : set.obj(packed);
    if (o == null || (o.createRow >= 0 && !set.inClock(o.createRow, clock))) {
      throw new InvalidOperationException("no object " + id + (clock == null ? "" : " at those heads"));
    }
    return o;
  }

  public Optional<ObjType> objType(ObjId id, @Nullable Clock clock) {
    long packed = set.packObj(id);
    ObjState o = packed < 0 ? null : set.obj(packed);
    if (o == null || (o.createRow >= 0 && !set.inClock(o.createRow, clock))) {
      return Optional.empty();
    }
    return Optional.of(o.type);
  }

  ObjState map(ObjId id, @Nullable Clock clock) {
    ObjState o = resolve(id, clock);
    if (o.type.isSequence()) {
      throw new InvalidOperationException("object " + id + " is a " + o.type.name().toLowerCase() + ", not a map");
    }
    return o;
  }

  ObjState seq(ObjId id, @Nullable Clock clock) {
    ObjState o = resolve(id, clock);
    if (!o.type.isSequence()) {
      throw new InvalidOperationException("object " + id + " is a map, not a list or text");
    }
    return o;
  }

  public Optional<Value> get(ObjId obj, String key, @Nullable Clock clock) {
    int[] rows = set.visibleAtKey(map(obj, clock), key, clock);
    return rows.length == 0 ? Optional.empty() : Optional.of(set.valueOf(rows[rows.length - 1], clock));
  }

  public List<Value> getAll(ObjId obj, String key, @Nullable Clock clock) {
    int[] rows = set.visibleAtKey(map(obj, clock), key, clock);
    List<Value> out = new ArrayList<>(rows.length);
    for (int r : rows) {
      out.add(set.valueOf(r, clock));
    }
    return out;
  }

  /** The insert row of the visible element at {@code index} (UTF-16 unit for text), or NONE if out of range. */
  int elementAt(ObjState o, int index, @Nullable Clock clock) {
    if (index < 0) {
      return OpTable.NONE;
    }
    boolean text = o.type == ObjType.TEXT;
    if (clock == null) {
      SeqTree.Cursor c = o.seq.seekVisible(index, text);
      return c.valid() ? c.row() : OpTable.NONE;
    }
    long at = 0;
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      int w = text ? set.widthAt(o, el, clock) : (set.winnerAt(el, clock) == OpTable.NONE ? 0 : 1);
      if (index < at + w) {
        return el;
      }
      at += w;
      if (!c.advance()) {
        break;
      }
    }
    return OpTable.NONE;
  }

  public Optional<Value> get(ObjId obj, int index, @Nullable Clock clock) {
    ObjState o = seq(obj, clock);
    int el = elementAt(o, index, clock);
    if (el == OpTable.NONE) {
      return Optional.empty();
    }
    return Optional.of(set.valueOf(set.winnerAt(el, clock), clock));
  }

  public List<Value> getAll(ObjId obj, int index, @Nullable Clock clock) {
    ObjState o = seq(obj, clock);
    int el = elementAt(o, index, clock);
    List<Value> out = new ArrayList<>();
    if (el != OpTable.NONE) {
      for (int r : set.visibleOfElement(el, clock)) {
        out.add(set.valueOf(r, clock));
      }
    }
    return out;
  }

  public List<String> keys(ObjId obj, @Nullable Clock clock) {
    ObjState o = map(obj, clock);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
      Rows rows = e.getValue();
      if (clock == null) {
        if (rows.visible > 0) {
          out.add(e.getKey());
        }
        continue;
      }
      for (int i = 0; i < rows.n; i++) {
        if (set.visibleAt(rows.get(i), clock)) {
          out.add(e.getKey());
          break;
        }
      }
    }
    return out;
  }

  public int length(ObjId obj, @Nullable Clock clock) {
    ObjState o = resolve(obj, clock);
    if (!o.type.isSequence()) {
      return keys(obj, clock).size();
    }
    boolean text = o.type == ObjType.TEXT;
    if (clock == null) {
      return text ? (int) o.seq.width() : o.seq.count();
    }
    long n = 0;
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      n += text ? set.widthAt(o, el, clock) : (set.winnerAt(el, clock) == OpTable.NONE ? 0 : 1);
      if (!c.advance()) {
        break;
      }
    }
    return (int) n;
  }

  public String text(ObjId obj, @Nullable Clock clock) {
    ObjState o = seq(obj, clock);
    StringBuilder sb = new StringBuilder((int) Math.min(o.seq.width(), 1 << 24));
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int w = set.winnerAt(c.row(), clock);
      if (w != OpTable.NONE) {
        if (set.ops.value(w) instanceof ScalarValue.Str s) {
          sb.append(s.value());
        } else {
          sb.append('\uFFFC');
        }
      }
      if (!c.advance()) {
        break;
      }
    }
    return sb.toString();
  }

  public Object materialize(ObjId obj, @Nullable Clock clock) {
    return materialize(resolve(obj, clock), clock);
  }

  private Object materialize(ObjState o, @Nullable Clock clock) {
    switch (o.type) {
      case MAP, TABLE -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
          Rows rows = e.getValue();
          int win = OpTable.NONE;
          // the winner is the greatest visible op id: search from the newest back
          for (int i = rows.n - 1; i >= 0 && (clock != null || rows.visible > 0); i--) {
            if (set.visibleAt(rows.get(i), clock)) {
              win = rows.get(i);
              break;
            }
          }
          if (win != OpTable.NONE) {
            out.put(e.getKey(), materializeValue(win, clock));
          }
        }
        return out;
      }
      case LIST -> {
        List<Object> out = new ArrayList<>();
        for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
          int w = set.winnerAt(c.row(), clock);
          if (w != OpTable.NONE) {
            out.add(materializeValue(w, clock));
          }
          if (!c.advance()) {
            break;
          }
        }
        return out;
      }
      case TEXT -> {
        return text(set.objId(o), clock);
      }
    }
    throw new AssertionError(o.type);
  }

  private Object materializeValue(int row, @Nullable Clock clock) {
    if (Actions.isMake(set.ops.action(row))) {
      return materialize(set.obj(set.ops.id(row)), clock);
    }
    return set.valueOf(row, clock);
  }

  /**
   * The marks of a text: per name (UTF-8 order), ranges by start, null (unmarked) ranges left out.
   *
   * <p>Ranges follow Automerge's segmentation exactly. The text is cut into segments — now at every
   * mark op, at past heads wherever the set of marks in force changes (a set holding NaN never
   * equals another) — and a segment joins the previous range of the same name only if their values
   * are equal as Automerge compares them (f64 by {@code ==}, so NaN-valued ranges stay apart).
   */
  public List<Mark> marks(ObjId obj, @Nullable Clock clock) {
    ObjState o = seq(obj, clock);
    boolean text = o.type == ObjType.TEXT;
    // active mark begins: id -> row
    TreeMap<Long, Integer> active = new TreeMap<>((a, b) -> set.cmp(a, b));
    TreeMap<String, List<long[]>> ranges = new TreeMap<>(ObjState.UTF8_ORDER);
    TreeMap<String, List<ScalarValue>> values = new TreeMap<>(ObjState.UTF8_ORDER);
    Map<String, ScalarValue> current = Map.of();
    Map<String, ScalarValue> previous = null;
    long index = 0;
    long segment = 0;
    boolean dirty = false;
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      if (set.ops.action(el) == Actions.MARK) {
        if (set.inClock(el, clock)) {
          long id = set.ops.id(el);
          if (set.ops.markName(el) != null) {
            active.put(id, el);
          } else {
            active.remove(id - (1L << OpIds.ACTOR_BITS));
          }
          dirty = true;
        }
      } else {
        int w = text ? set.widthAt(o, el, clock) : (set.winnerAt(el, clock) == OpTable.NONE ? 0 : 1);
        if (w > 0) {
          if (dirty) {
            current = markSet(active);
          }
          if (clock == null ? dirty : !sameSet(previous, current)) {
            segment++;
          }
          dirty = false;
          previous = current;
          for (Map.Entry<String, ScalarValue> m : current.entrySet()) {
            List<long[]> rs = ranges.computeIfAbsent(m.getKey(), k -> new ArrayList<>());
            List<ScalarValue> vs = values.computeIfAbsent(m.getKey(), k -> new ArrayList<>());
            int last = rs.size() - 1;
            if (last >= 0 && rs.get(last)[1] == index
                && (rs.get(last)[2] == segment || MarkValues.same(vs.get(last), m.getValue()))) {
              rs.get(last)[1] = index + w;
              rs.get(last)[2] = segment;
            } else {
              rs.add(new long[] {index, index + w, segment});
              vs.add(m.getValue());
            }
          }
          index += w;
        }
      }
      if (!c.advance()) {
        break;
      }
    }
    List<Mark> out = new ArrayList<>();
    for (Map.Entry<String, List<long[]>> e : ranges.entrySet()) {
      List<ScalarValue> vs = values.get(e.getKey());
      for (int i = 0; i < e.getValue().size(); i++) {
        if (!(vs.get(i) instanceof ScalarValue.Null)) {
          long[] r = e.getValue().get(i);
          out.add(new Mark((int) r[0], (int) r[1], e.getKey(), vs.get(i)));
        }
      }
    }
    return out;
  }

  /** Whether two mark sets are equal as Automerge compares them (values by {@link MarkValues#same}). */
  private static boolean sameSet(Map<String, ScalarValue> a, Map<String, ScalarValue> b) {
    if (a == null || a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, ScalarValue> e : a.entrySet()) {
      ScalarValue v = b.get(e.getKey());
      if (v == null || !MarkValues.same(e.getValue(), v)) {
        return false;
      }
    }
    return true;
  }

  /** The mark set in force given the active begins: per name, the value of the greatest begin. */
  private Map<String, ScalarValue> markSet(TreeMap<Long, Integer> active) {
    Map<String, ScalarValue> out = new TreeMap<>(ObjState.UTF8_ORDER);
    for (int row : active.values()) {
      out.put(set.ops.markName(row), set.ops.value(row));
    }
    return out;
  }
}

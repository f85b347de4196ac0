package dev.loam.internal.doc;

import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing the {@link Differ} saw change in one object, before {@link PatchBuilder} turns the
 * run of them into patches (Automerge's patch-log events). Indexes are those a reader applying
 * the patches in order sees: after the events before them in the same object.
 */
sealed interface DiffEvent {
  /** A key or existing element now shows {@code value}. */
  record Put(Prop prop, Value value, boolean conflict) implements DiffEvent {}

  /** A new element at {@code index} of a list (or a block in text). */
  record Insert(int index, Value value, boolean conflict) implements DiffEvent {}

  record DeleteMap(String key) implements DiffEvent {}

  /** {@code length} elements (UTF-16 units of text) removed at {@code index}. */
  record DeleteSeq(int index, int length) implements DiffEvent {}

  /** Text inserted at {@code index}; {@code marks} is empty when none apply. */
  record Splice(int index, String text, Map<String, ScalarValue> marks) implements DiffEvent {}

  record Increment(Prop prop, long by) implements DiffEvent {}

  /** The value at {@code prop} stayed but became conflicted. */
  record FlagConflict(Prop prop) implements DiffEvent {}

  /**
   * Marks that changed on text that stayed: per name (UTF-8 order) ranges of one value, adjacent
   * equal ranges merged; a {@link ScalarValue.Null} value means the mark was removed there.
   * Mutable while the differ is still adding to it.
   */
  final class MarkRanges implements DiffEvent {
    final TreeMap<String, List<long[]>> ranges = new TreeMap<>(ObjState.UTF8_ORDER);
    final TreeMap<String, List<ScalarValue>> values = new TreeMap<>(ObjState.UTF8_ORDER);

    void add(int index, int length, Map<String, ScalarValue> marks) {
      for (Map.Entry<String, ScalarValue> m : marks.entrySet()) {
        List<long[]> rs = ranges.computeIfAbsent(m.getKey(), k -> new ArrayList<>());
        List<ScalarValue> vs = values.computeIfAbsent(m.getKey(), k -> new ArrayList<>());
        int last = rs.size() - 1;
        if (last >= 0 && MarkValues.same(vs.get(last), m.getValue()) && rs.get(last)[1] == index) {
          rs.get(last)[1] = index + length;
        } else {
          rs.add(new long[] {index, index + length});
          vs.add(m.getValue());
        }
      }
    }

    List<dev.loam.Mark> marks() {
      List<dev.loam.Mark> out = new ArrayList<>();
      for (Map.Entry<String, List<long[]>> e : ranges.entrySet()) {
        List<ScalarValue> vs = values.get(e.getKey());
        for (int i = 0; i < e.getValue().size(); i++) {
          long[] r = e.getValue().get(i);
          out.add(new dev.loam.Mark((int) r[0], (int) r[1], e.getKey(), vs.get(i)));
        }
      }
      return out;
    }
  }
}

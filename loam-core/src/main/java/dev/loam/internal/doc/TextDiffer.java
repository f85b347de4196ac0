package dev.loam.internal.doc;

import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Diffs one text object for the {@link Differ}: runs of characters that were added, removed or
 * kept, with the marks in force on each side (Automerge's {@code SpansDiff}).
 *
 * <p>Implementation notes: per element only the winning op counts. An element whose winner is
 * the same in both states is kept; otherwise the old winner is removed and the new one added, in
 * op order. Mark ops are folded into two mark states, one per clock. Added text carries the marks
 * in force after; kept text yields a mark event for the marks whose value differs between the
 * states (a mark gone is reported with a null value). Runs are cut wherever the kind of change or
 * the marks may change; {@link PatchBuilder} joins neighbouring runs that say the same thing.
 */
final class TextDiffer {
  private static final String PLACEHOLDER = "\uFFFC";

  private final Differ differ;
  private final OpSet set;
  private final ObjState obj;
  private final Clock before;
  private final Clock after;
  private final MarkState marksBefore;
  private final MarkState marksAfter;

  private int index;
  private Differ.@Nullable Diff runDiff;
  private final StringBuilder runText = new StringBuilder();
  private int runStart;
  /** The marks the current run reports, fixed when it starts. */
  private Map<String, ScalarValue> runMarks = Map.of();
  private boolean marksMoved;

  TextDiffer(Differ differ, OpSet set, ObjState obj, Clock before, Clock after) {
    this.differ = differ;
    this.set = set;
    this.obj = obj;
    this.before = before;
    this.after = after;
    this.marksBefore = new MarkState(set);
    this.marksAfter = new MarkState(set);
  }

  void run() {
    for (SeqTree.Cursor c = obj.seq.begin(); c.valid(); ) {
      int el = c.row();
      if (set.ops.action(el) == Actions.MARK) {
        mark(el);
      } else {
        int wb = set.winnerAt(el, before);
        int wa = set.winnerAt(el, after);
        if (wb == wa) {
          if (wb != OpTable.NONE) {
            push(Differ.Diff.SAME, wb);
          }
        } else if (wb == OpTable.NONE) {
          push(Differ.Diff.ADD, wa);
        } else if (wa == OpTable.NONE) {
          push(Differ.Diff.DEL, wb);
        } else if (set.cmp(set.ops.id(wb), set.ops.id(wa)) < 0) {
          push(Differ.Diff.DEL, wb);
          push(Differ.Diff.ADD, wa);
        } else {
          push(Differ.Diff.ADD, wa);
          push(Differ.Diff.DEL, wb);
        }
      }
      if (!c.advance()) {
        break;
      }
    }
    flush();
  }

  private void mark(int row) {
    long id = set.ops.id(row);
    boolean b = set.inClock(row, before);
    boolean a = set.inClock(row, after);
    if (b) {
      marksBefore.apply(row, id);
    }
    if (a) {
      marksAfter.apply(row, id);
    }
    marksMoved |= a || b;
  }

  private void push(Differ.Diff diff, int row) {
    int action = set.ops.action(row);
    if (action == Actions.MAKE_MAP) {
      flush();
      switch (diff) {
        case ADD -> differ.logValue(obj, new DiffEvent.Insert(index, new Value.Obj(ObjType.MAP, set.objId(set.obj(set.ops.id(row)))), false),
            row, before.covers(set.ops.id(row)));
        case DEL -> differ.log(obj, new DiffEvent.DeleteSeq(index, 1));
        case SAME -> { }
      }
      if (diff.visible()) {
        index += 1;
        differ.visitLater(row);
      }
      return;
    }
    String s = set.ops.value(row) instanceof ScalarValue.Str str ? str.value() : PLACEHOLDER;
    if (runDiff != null && (runDiff != diff || marksMoved)) {
      flush();
    }
    if (runDiff == null) {
      runDiff = diff;
      runStart = index;
      marksMoved = false;
      runMarks = switch (diff) {
        case ADD -> shown(marksAfter.current());
        case SAME -> changed(marksBefore.current(), marksAfter.current());
        case DEL -> Map.of();
      };
    }
    runText.append(s);
  }

  private void flush() {
    if (runDiff == null) {
      return;
    }
    Differ.Diff diff = runDiff;
    runDiff = null;
    int len = runText.length();
    String text = runText.toString();
    runText.setLength(0);
    if (len == 0) {
      return;
    }
    switch (diff) {
      case ADD -> {
        differ.log(obj, new DiffEvent.Splice(runStart, text, runMarks));
        index += len;
      }
      case SAME -> {
        if (!runMarks.isEmpty()) {
          differ.logMarks(obj, runStart, len, runMarks);
        }
        index += len;
      }
      case DEL -> differ.log(obj, new DiffEvent.DeleteSeq(runStart, len));
    }
  }

  /** The marks a reader sees: those whose value is not null (null is an unmark). */
  static Map<String, ScalarValue> shown(Map<String, ScalarValue> marks) {
    Map<String, ScalarValue> out = new TreeMap<>(ObjState.UTF8_ORDER);
    marks.forEach((k, v) -> {
      if (!(v instanceof ScalarValue.Null)) {
        out.put(k, v);
      }
    });
    return out.isEmpty() ? Map.of() : out;
  }

  /** The marks that differ between the states: the after value, or null where a shown mark went away. */
  private static Map<String, ScalarValue> changed(Map<String, ScalarValue> was, Map<String, ScalarValue> is) {
    Map<String, ScalarValue> out = new TreeMap<>(ObjState.UTF8_ORDER);
    was.forEach((k, v) -> {
      if (!is.containsKey(k) && !(v instanceof ScalarValue.Null)) {
        out.put(k, ScalarValue.NULL);
      }
    });
    is.forEach((k, v) -> {
      ScalarValue old = was.get(k);
      if (old == null) {
        if (!(v instanceof ScalarValue.Null)) {
          out.put(k, v);
        }
      } else if (!MarkValues.same(old, v)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The marks in force at a point of the text under one clock: per name, the value of the latest open mark. */
  static final class MarkState {
    private final OpSet set;
    private final TreeMap<Long, Integer> open;
    private Map<String, ScalarValue> current = Map.of();
    private boolean stale;

    MarkState(OpSet set) {
      this.set = set;
      this.open = new TreeMap<>(set::cmp);
    }

    void apply(int row, long id) {
      if (set.ops.markName(row) != null) {
        open.putIfAbsent(id, row);
      } else {
        open.remove(id - (1L << OpIds.ACTOR_BITS));
      }
      stale = true;
    }

    Map<String, ScalarValue> current() {
      if (stale) {
        Map<String, ScalarValue> m = new TreeMap<>(ObjState.UTF8_ORDER);
        for (int row : open.values()) {
          m.put(set.ops.markName(row), set.ops.value(row));
        }
        current = m;
        stale = false;
      }
      return current;
    }
  }
}

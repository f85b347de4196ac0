package dev.loam.internal.doc;

import dev.loam.Mark;
import dev.loam.ObjType;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@link Differ}'s events into patches, as Automerge's {@code PatchLog} and {@code
 * PatchBuilder} do.
 *
 * <p>Implementation notes: events arrive grouped by object in object-id order. An event that
 * continues the last patch of the same object joins it: an insert inside or at the end of the
 * last insert, text inside or at the end of the last splice with equal marks, a delete at the
 * index of the last delete (or wholly inside the last insert or splice, which it shortens), marks
 * after marks, a conflict flag on the put just made. Every new patch gets the path of its object
 * in the later state; an object not reachable there (it lost a conflict, or its parent did) gets
 * no patches. Exposed objects — values that were in the document before but hidden — are
 * reported as their whole later state, in object-id order among the other objects, and their own
 * events are dropped. Exposed text is reported as runs carrying their marks, as Automerge JS 3.5
 * does (the 3.4 Rust source reported it as one unmarked splice, even when empty).
 */
final class PatchBuilder {
  private final OpSet set;
  /** The later state's clock; null for the current state. */
  private final @Nullable Clock after;
  private final List<Pending> patches = new ArrayList<>();
  private final List<ObjState> patchObjs = new ArrayList<>();
  /** The marks of the last splice pushed, empty since any other patch was pushed (Automerge's {@code last_mark_set}). */
  private Map<String, ScalarValue> lastMarks = Map.of();
  private final Map<ObjState, List<Prop>> paths = new HashMap<>();
  private final Map<ObjState, Map<ObjState, Prop>> children = new HashMap<>();

  PatchBuilder(OpSet set, @Nullable Clock after) {
    this.set = set;
    this.after = after;
  }

  /** A patch in the making: a finished one, or one still open to joining the next event. */
  private sealed interface Pending permits Done, InsertP, SpliceP, DeleteP, MarkP, PutP {}

  private record Done(Patch patch) implements Pending {}

  // patches still open to joining
  private static final class InsertP implements Pending {
    final List<Prop> path;
    final int index;
    final List<Value> values = new ArrayList<>();
    final List<Boolean> conflicts = new ArrayList<>();

    InsertP(List<Prop> path, int index) {
      this.path = path;
      this.index = index;
    }
  }

  private static final class SpliceP implements Pending {
    final List<Prop> path;
    final int index;
    final StringBuilder text = new StringBuilder();
    final Map<String, ScalarValue> marks;

    SpliceP(List<Prop> path, int index, Map<String, ScalarValue> marks) {
      this.path = path;
      this.index = index;
      this.marks = marks;
    }
  }

  private static final class DeleteP implements Pending {
    final List<Prop> path;
    final int index;
    int length;

    DeleteP(List<Prop> path, int index, int length) {
      this.path = path;
      this.index = index;
      this.length = length;
    }
  }

  private static final class MarkP implements Pending {
    final List<Prop> path;
    final List<Mark> marks = new ArrayList<>();

    MarkP(List<Prop> path) {
      this.path = path;
    }
  }

  private static final class PutP implements Pending {
    final List<Prop> path;
    final Prop prop;
    final Value value;
    boolean conflict;

    PutP(List<Prop> path, Prop prop, Value value, boolean conflict) {
      this.path = path;
      this.prop = prop;
      this.value = value;
      this.conflict = conflict;
    }
  }

  List<Patch> build(List<ObjState> objs, List<DiffEvent> events, TreeSet<ObjState> exposed) {
    for (int i = 0; i < events.size(); i++) {
      ObjState obj = objs.get(i);
      while (!exposed.isEmpty() && set.cmp(exposed.first().id, obj.id) < 0) {
        flushExposed(exposed.pollFirst(), exposed);
      }
      if (!exposed.isEmpty() && exposed.first() == obj) {
        continue;
      }
      event(obj, events.get(i));
    }
    while (!exposed.isEmpty()) {
      flushExposed(exposed.pollFirst(), exposed);
    }
    List<Patch> out = new ArrayList<>(patches.size());
    for (Pending p : patches) {
      out.add(finish(p));
    }
    return out;
  }

  private void event(ObjState obj, DiffEvent e) {
    switch (e) {
      case DiffEvent.Put p -> put(obj, p.prop(), p.value(), p.conflict());
      case DiffEvent.Insert ins -> insert(obj, ins.index(), ins.value(), ins.conflict());
      case DiffEvent.DeleteMap d -> {
        List<Prop> path = path(obj);
        if (path != null) {
          push(obj, new Patch.Delete(child(path, Prop.key(d.key())), 1));
        }
      }
      case DiffEvent.DeleteSeq d -> deleteSeq(obj, d.index(), d.length());
      case DiffEvent.Splice s -> splice(obj, s.index(), s.text(), s.marks());
      case DiffEvent.Increment inc -> {
        List<Prop> path = path(obj);
        if (path != null) {
          push(obj, new Patch.Increment(child(path, inc.prop()), inc.by()));
        }
      }
      case DiffEvent.FlagConflict f -> flagConflict(obj, f.prop());
      case DiffEvent.MarkRanges m -> marks(obj, m.marks());
    }
  }

  /** The open last patch if it belongs to {@code obj}, else null. */
  private @Nullable Pending tail(ObjState obj) {
    int n = patches.size();
    return n > 0 && patchObjs.get(n - 1) == obj ? patches.get(n - 1) : null;
  }

  private void push(ObjState obj, Patch done) {
    push(obj, new Done(done));
  }

  private void push(ObjState obj, Pending patch) {
    patches.add(patch);
    patchObjs.add(obj);
    lastMarks = Map.of();
  }

  private void put(ObjState obj, Prop prop, Value value, boolean conflict) {
    List<Prop> path = path(obj);
    if (path != null) {
      push(obj, new PutP(path, prop, value, conflict));
    }
  }

  private void insert(ObjState obj, int index, Value value, boolean conflict) {
    if (tail(obj) instanceof InsertP t && index >= t.index && index <= t.index + t.values.size()) {
      t.values.add(index - t.index, value);
      t.conflicts.add(index - t.index, conflict);
      return;
    }
    List<Prop> path = path(obj);
    if (path != null) {
      InsertP p = new InsertP(path, index);
      p.values.add(value);
      p.conflicts.add(conflict);
      push(obj, p);
    }
  }

  private void splice(ObjState obj, int index, String text, Map<String, ScalarValue> marks) {
    if (tail(obj) instanceof SpliceP t && sameMarks(marks, lastMarks)
        && index >= t.index && index <= t.index + t.text.length()) {
      t.text.insert(index - t.index, text);
      return;
    }
    List<Prop> path = path(obj);
    if (path != null) {
      SpliceP p = new SpliceP(path, index, marks);
      p.text.append(text);
      push(obj, p);
      lastMarks = marks;
    }
  }

  private void deleteSeq(ObjState obj, int index, int length) {
    Pending t = tail(obj);
    if (t instanceof SpliceP s && index >= s.index && index + length <= s.index + s.text.length()) {
      s.text.delete(index - s.index, index - s.index + length);
      if (s.text.isEmpty()) {
        pop();
      }
      return;
    }
    if (t instanceof InsertP ins && index >= ins.index && index + length <= ins.index + ins.values.size()) {
      for (int k = 0; k < length; k++) {
        ins.values.remove(index - ins.index);
        ins.conflicts.remove(index - ins.index);
      }
      if (ins.values.isEmpty()) {
        pop();
      }
      return;
    }
    if (t instanceof DeleteP d && d.index == index) {
      d.length += length;
      return;
    }
    List<Prop> path = path(obj);
    if (path != null) {
      push(obj, new DeleteP(path, index, length));
    }
  }

  private void pop() {
    patches.remove(patches.size() - 1);
    patchObjs.remove(patchObjs.size() - 1);
  }

  private void marks(ObjState obj, List<Mark> marks) {
    if (tail(obj) instanceof MarkP t) {
      t.marks.addAll(marks);
      return;
    }
    List<Prop> path = path(obj);
    if (path != null && !marks.isEmpty()) {
      MarkP p = new MarkP(path);
      p.marks.addAll(marks);
      push(obj, p);
    }
  }

  private void flagConflict(ObjState obj, Prop prop) {
    if (tail(obj) instanceof PutP p && p.prop.equals(prop)) {
      p.conflict = true;
      return;
    }
    List<Prop> path = path(obj);
    if (path != null) {
      push(obj, new Patch.Conflict(child(path, prop)));
    }
  }

  private static boolean sameMarks(Map<String, ScalarValue> a, Map<String, ScalarValue> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, ScalarValue> e : a.entrySet()) {
      ScalarValue o = b.get(e.getKey());
      if (o == null || !MarkValues.same(e.getValue(), o)) {
        return false;
      }
    }
    return true;
  }

  private static Patch finish(Pending p) {
    return switch (p) {
      case Done done -> done.patch();
      case PutP put -> new Patch.Put(child(put.path, put.prop), put.value, put.conflict);
      case InsertP ins -> new Patch.Insert(child(ins.path, Prop.index(ins.index)), List.copyOf(ins.values),
          List.copyOf(ins.conflicts), Map.of());
      case SpliceP s -> new Patch.SpliceText(child(s.path, Prop.index(s.index)), s.text.toString(), Map.copyOf(s.marks));
      case DeleteP d -> new Patch.Delete(child(d.path, Prop.index(d.index)), d.length);
      case MarkP m -> new Patch.MarkSet(m.path, List.copyOf(m.marks));
    };
  }

  // ---- exposed objects ----

  /** Reports the whole later state of an exposed object; objects inside it are exposed in turn. */
  private void flushExposed(ObjState o, TreeSet<ObjState> exposed) {
    switch (o.type) {
      case TEXT -> flushText(o, exposed);
      case LIST -> {
        int index = 0;
        for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
          int[] vis = set.visibleOfElement(c.row(), after);
          if (vis.length > 0) {
            int w = vis[vis.length - 1];
            if (Actions.isMake(set.ops.action(w))) {
              exposed.add(set.obj(set.ops.id(w)));
            }
            insert(o, index++, set.valueOf(w, after), vis.length > 1);
          }
          if (!c.advance()) {
            break;
          }
        }
      }
      case MAP, TABLE -> {
        for (String key : o.keys.keySet()) {
          int[] vis = set.visibleAtKey(o, key, after);
          if (vis.length > 0) {
            int w = vis[vis.length - 1];
            if (Actions.isMake(set.ops.action(w))) {
              exposed.add(set.obj(set.ops.id(w)));
            }
            put(o, Prop.key(key), set.valueOf(w, after), vis.length > 1);
          }
        }
      }
    }
  }

  /** Text is reported as runs of one set of marks (as they are after), blocks as inserted maps. */
  private void flushText(ObjState o, TreeSet<ObjState> exposed) {
    TextDiffer.MarkState marks = new TextDiffer.MarkState(set);
    StringBuilder run = new StringBuilder();
    int runStart = 0;
    Map<String, ScalarValue> runMarks = Map.of();
    boolean marksMoved = false;
    int index = 0;
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      if (set.ops.action(el) == Actions.MARK) {
        if (set.inClock(el, after)) {
          marks.apply(el, set.ops.id(el));
          marksMoved = true;
        }
      } else {
        int w = set.winnerAt(el, after);
        if (w != OpTable.NONE) {
          if (set.ops.action(w) == Actions.MAKE_MAP) {
            if (!run.isEmpty()) {
              splice(o, runStart, run.toString(), runMarks);
              run.setLength(0);
            }
            ObjState block = set.obj(set.ops.id(w));
            exposed.add(block);
            insert(o, index, new Value.Obj(ObjType.MAP, set.objId(block)), false);
            index++;
          } else {
            if (marksMoved || run.isEmpty()) {
              Map<String, ScalarValue> now = TextDiffer.shown(marks.current());
              if (!run.isEmpty() && !sameMarks(now, runMarks)) {
                splice(o, runStart, run.toString(), runMarks);
                run.setLength(0);
              }
              if (run.isEmpty()) {
                runStart = index;
                runMarks = now;
              }
              marksMoved = false;
            }
            String s = set.ops.value(w) instanceof ScalarValue.Str str ? str.value() : "\uFFFC";
            run.append(s);
            index += s.length();
          }
        }
      }
      if (!c.advance()) {
        break;
      }
    }
    if (!run.isEmpty()) {
      splice(o, runStart, run.toString(), runMarks);
    }
  }

  // ---- paths ----

  private static List<Prop> child(List<Prop> path, Prop p) {
    List<Prop> l = new ArrayList<>(path.size() + 1);
    l.addAll(path);
    l.add(p);
    return List.copyOf(l);
  }

  /** The path to {@code o} in the later state, or null when it is not reachable there. */
  private @Nullable List<Prop> path(ObjState o) {
    if (o.createRow < 0) {
      return List.of();
    }
    if (paths.containsKey(o)) {
      return paths.get(o);
    }
    ObjState parent = set.objs.get(set.ops.obj(o.createRow));
    Prop prop = children(parent).get(o);
    List<Prop> up = prop == null ? null : path(parent);
    List<Prop> p = up == null ? null : child(up, prop);
    paths.put(o, p);
    return p;
  }

  /** Where each object held by {@code parent} sits in the later state (winners only; in text, only blocks). */
  private Map<ObjState, Prop> children(ObjState parent) {
    Map<ObjState, Prop> m = children.get(parent);
    if (m != null) {
      return m;
    }
    m = new HashMap<>();
    if (parent.type.isSequence()) {
      boolean text = parent.type == ObjType.TEXT;
      int index = 0;
      for (SeqTree.Cursor c = parent.seq.begin(); c.valid(); ) {
        int w = set.winnerAt(c.row(), after);
        if (w != OpTable.NONE) {
          int action = set.ops.action(w);
          if (text ? action == Actions.MAKE_MAP : Actions.isMake(action)) {
            m.put(set.obj(set.ops.id(w)), Prop.index(index));
          }
          index += text ? OpSet.utf16Width(set.ops.value(w)) : 1;
        }
        if (!c.advance()) {
          break;
        }
      }
    } else {
      for (String key : parent.keys.keySet()) {
        int[] vis = set.visibleAtKey(parent, key, after);
        if (vis.length > 0 && Actions.isMake(set.ops.action(vis[vis.length - 1]))) {
          m.put(set.obj(set.ops.id(vis[vis.length - 1])), Prop.key(key));
        }
      }
    }
    children.put(parent, m);
    return m;
  }
}

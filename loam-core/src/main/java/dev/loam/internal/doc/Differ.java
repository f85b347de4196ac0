package dev.loam.internal.doc;

import dev.loam.Heads;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the patches between two states of a document, as Automerge's {@code diff} does.
 *
 * <p>Implementation notes: this follows Automerge's {@code DiffIter}. Every op is classified by
 * the two clocks as {@link Diff#SAME} (visible in both states), {@link Diff#ADD} (only after) or
 * {@link Diff#DEL} (only before); ops visible in neither are skipped. The root is diffed first,
 * then the pending objects one at a time, always the one with the smallest id (not depth first).
 * An object is pending when a visible item of an object already diffed holds it. Per map key and
 * per list element the classified ops collapse into one event by the rules of Automerge's
 * {@code MapDiff} and {@code ListDiff} (see {@link #collapse}); text goes through {@link
 * TextDiffer}. A value that existed before but was hidden, or whose conflict went away, is
 * <em>exposed</em>: {@link PatchBuilder} then reports the object's whole state instead of its
 * events. Cost: O(ops of every object reachable in either state), plus O(n) per path lookup of a
 * sequence.
 */
public final class Differ {
  enum Diff {
    SAME,
    ADD,
    DEL;

    boolean visible() {
      return this != DEL;
    }
  }

  /** What one key or element collapsed to. */
  private static final class Item {
    Diff diff;
    final int row;
    final Value value;
    final long inc;
    boolean conflict;
    boolean expose;
    final int index;
    /** List only: an element that existed before gets a put, not an insert. */
    boolean update;

    Item(Diff diff, int row, Value value, long inc, boolean conflict, boolean expose, int index, boolean update) {
      this.diff = diff;
      this.row = row;
      this.value = value;
      this.inc = inc;
      this.conflict = conflict;
      this.expose = expose;
      this.index = index;
      this.update = update;
    }

    void update(boolean exposeIt, boolean list) {
      expose |= exposeIt;
      if (expose && diff == Diff.SAME) {
        diff = Diff.ADD;
      }
      if (list) {
        update = true;
      }
    }
  }

  private final OpSet set;
  private final HistoryView view;
  private Clock before;
  private Clock after;
  private final List<ObjState> eventObjs = new ArrayList<>();
  private final List<DiffEvent> events = new ArrayList<>();
  private final TreeSet<ObjState> exposed;
  private final TreeMap<Long, ObjState> pending;

  public Differ(DocEngine engine) {
    this(engine.opSet(), engine.historyView());
  }

  Differ(OpSet set, HistoryView view) {
    this.set = set;
    this.view = view;
    this.exposed = new TreeSet<>((a, b) -> set.cmp(a.id, b.id));
    this.pending = new TreeMap<>(set::cmp);
  }

  public List<Patch> diff(Heads beforeHeads, Heads afterHeads) {
    if (beforeHeads.equals(afterHeads)) {
      // nothing changed; also keeps a NaN-valued mark from reporting itself as changed
      return List.of();
    }
    before = view.clockAt(beforeHeads);
    after = view.clockAt(afterHeads);
    ObjState next = set.root();
    while (next != null) {
      switch (next.type) {
        case MAP, TABLE -> diffMap(next);
        case LIST -> diffList(next);
        case TEXT -> new TextDiffer(this, set, next, before, after).run();
      }
      Map.Entry<Long, ObjState> e = pending.pollFirstEntry();
      next = e == null ? null : e.getValue();
    }
    return new PatchBuilder(set, after).build(eventObjs, events, exposed);
  }

  // ---- called by the object differs ----

  void log(ObjState obj, DiffEvent event) {
    eventObjs.add(obj);
    events.add(event);
  }

  /** Marks changed on text that stayed: joins the previous event if that is a mark event too (of any object, as Automerge does). */
  void logMarks(ObjState obj, int index, int length, Map<String, ScalarValue> marks) {
    if (!events.isEmpty() && events.get(events.size() - 1) instanceof DiffEvent.MarkRanges m) {
      m.add(index, length, marks);
      return;
    }
    DiffEvent.MarkRanges m = new DiffEvent.MarkRanges();
    m.add(index, length, marks);
    log(obj, m);
  }

  /** Records a new or re-shown value; an exposed object is reported whole. */
  void logValue(ObjState obj, DiffEvent event, int valueRow, boolean expose) {
    if (expose && Actions.isMake(set.ops.action(valueRow))) {
      exposed.add(childOf(valueRow));
    }
    log(obj, event);
  }

  void visitLater(int makeRow) {
    ObjState child = childOf(makeRow);
    pending.put(child.id, child);
  }

  private ObjState childOf(int makeRow) {
    return set.obj(set.ops.id(makeRow));
  }

  // ---- maps ----

  private void diffMap(ObjState o) {
    int[] rows = new int[4];
    Diff[] diffs = new Diff[4];
    for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
      Rows all = e.getValue();
      if (rows.length < all.n) {
        rows = new int[all.n];
        diffs = new Diff[all.n];
      }
      int n = classify(all, rows, diffs);
      if (n == 0) {
        continue;
      }
      String key = e.getKey();
      Item item = collapse(rows, diffs, n, false, 0);
      Prop prop = Prop.key(key);
      switch (item.diff) {
        case ADD -> {
          logValue(o, new DiffEvent.Put(prop, item.value, item.conflict), item.row, item.expose);
        }
        case SAME -> {
          if (item.inc != 0) {
            log(o, new DiffEvent.Increment(prop, item.inc));
          } else if (item.conflict) {
            log(o, new DiffEvent.FlagConflict(prop));
          }
        }
        case DEL -> log(o, new DiffEvent.DeleteMap(key));
      }
      if (item.diff.visible() && Actions.isMake(set.ops.action(item.row))) {
        visitLater(item.row);
      }
    }
  }

  /** Keeps the rows visible in either state, ascending by op id, with how each differs. */
  private int classify(Rows all, int[] rows, Diff[] diffs) {
    int n = 0;
    for (int i = 0; i < all.n; i++) {
      int r = all.get(i);
      Diff d = classify(r);
      if (d != null) {
        rows[n] = r;
        diffs[n++] = d;
      }
    }
    return n;
  }

  /** SAME, ADD, DEL, or null when the row is visible in neither state. */
  Diff classify(int row) {
    boolean b = set.visibleAt(row, before);
    boolean a = set.visibleAt(row, after);
    return b ? (a ? Diff.SAME : Diff.DEL) : (a ? Diff.ADD : null);
  }

  /**
   * Collapses the classified ops of one key or element into one item (Automerge's MapDiff and
   * ListDiff). The item is the last op unless the last is a DEL, in which case it is the last op
   * visible after that was followed by a DEL. Conflicts are reported only when new; an item that
   * was SAME becomes an exposing ADD when a hiding value goes away.
   */
  private Item collapse(int[] rows, Diff[] diffs, int n, boolean list, int index) {
    boolean lastIsSame = false;
    int numNew = 0;
    int numOld = 0;
    boolean expose = false;
    Item lastVisible = null;
    for (int k = 0; k < n; k++) {
      Diff d = diffs[k];
      int r = rows[k];
      switch (d) {
        case DEL -> {
          expose = lastIsSame;
          numOld++;
        }
        case SAME -> {
          lastIsSame = true;
          numNew++;
          numOld++;
          expose = false;
        }
        case ADD -> {
          lastIsSame = false;
          numNew++;
          expose = before.covers(set.ops.id(r));
        }
      }
      Value value = set.valueOf(r, after);
      long inc = 0;
      if (set.ops.isCounter(r)) {
        inc = ((ScalarValue.Counter) value).value() - ((ScalarValue.Counter) set.valueOf(r, before)).value();
      }
      boolean oldConflict = d == Diff.SAME && numOld > 1;
      boolean conflict = numNew > 1 && !oldConflict;
      if (k < n - 1) {
        if (d.visible() && diffs[k + 1] == Diff.DEL) {
          lastVisible = item(d, r, value, inc, conflict, expose, index, numOld);
        }
        continue;
      }
      if (lastVisible != null && (list || d == Diff.DEL)) {
        lastVisible.update(expose || lastVisible.diff == Diff.SAME, list);
        lastVisible.conflict = numNew > 1;
        return lastVisible;
      }
      Item item = item(d, r, value, inc, conflict, expose, index, numOld);
      if (d == Diff.SAME && numOld > 1 && numNew == 1) {
        item.update(true, list);
      }
      return item;
    }
    throw new AssertionError("no ops");
  }

  private static Item item(Diff d, int row, Value value, long inc, boolean conflict, boolean expose, int index, int numOld) {
    Diff diff = expose && d == Diff.SAME ? Diff.ADD : d;
    return new Item(diff, row, value, inc, conflict, expose, index, diff == Diff.ADD && numOld > 0);
  }

  // ---- lists ----

  private void diffList(ObjState o) {
    int index = 0;
    int[] rows = new int[4];
    Diff[] diffs = new Diff[4];
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int el = c.row();
      if (set.ops.action(el) != Actions.MARK) {
        int n = 0;
        for (int r = el; r != OpTable.NONE; r = r == el ? set.ops.updHead(el) : set.ops.updNext(r)) {
          Diff d = classify(r);
          if (d != null) {
            if (n == rows.length) {
              rows = Arrays.copyOf(rows, n * 2);
              diffs = Arrays.copyOf(diffs, n * 2);
            }
            rows[n] = r;
            diffs[n++] = d;
          }
        }
        if (n > 0) {
          Item item = collapse(rows, diffs, n, true, index);
          logListItem(o, item);
          if (item.diff.visible()) {
            index++;
            if (Actions.isMake(set.ops.action(item.row))) {
              visitLater(item.row);
            }
          }
        }
      }
      if (!c.advance()) {
        break;
      }
    }
  }

  private void logListItem(ObjState o, Item item) {
    Prop prop = Prop.index(item.index);
    switch (item.diff) {
      case ADD -> {
        DiffEvent e = item.update
            ? new DiffEvent.Put(prop, item.value, item.conflict)
            : new DiffEvent.Insert(item.index, item.value, item.conflict);
        logValue(o, e, item.row, item.expose);
      }
      case SAME -> {
        if (item.inc != 0) {
          log(o, new DiffEvent.Increment(prop, item.inc));
        } else if (item.conflict) {
          log(o, new DiffEvent.FlagConflict(prop));
        }
      }
      case DEL -> log(o, new DiffEvent.DeleteSeq(item.index, 1));
    }
  }
}

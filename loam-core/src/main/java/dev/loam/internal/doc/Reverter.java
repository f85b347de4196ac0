package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import dev.loam.ExpandMark;
import dev.loam.Mark;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Writes, into an open local transaction, the operations that undo the effects of given changes on
 * a document's current state, keeping every later edit by anyone else. The engine behind {@code
 * dev.loam.undo.Revert}. Not thread-safe: confined with its document.
 *
 * <p>Implementation notes. Changes are reverted one at a time, newest first, each against the state
 * the previous ones left (the transaction's own ops included), so reverting a set at once is the
 * same as reverting its changes one by one, newest first. For one change, its ops are grouped by
 * what they target:
 * <ul>
 *   <li>A <em>slot</em> (a map key, or a list or text element it did not insert itself) that it
 *       put or deleted. What the change left there (its values not hidden by its own later ops)
 *       is compared with the slot's visible ops now. If none of them is the change's value, someone
 *       changed the slot since: it is left alone. If only some are (concurrent values), the
 *       change's are deleted and the others stay. If all are, the values the change overwrote
 *       (its ops' predecessors) come back, unless someone else also overwrote them (then the slot
 *       is cleared, as if the change had never been made); a deleted object comes back as a new
 *       object with the old one's current contents. A deleted list or text element comes back as
 *       itself: a put on the element with no predecessors makes it visible again at its exact
 *       place (what a put concurrent with a delete does in Automerge), so cursors on it survive.</li>
 *   <li>An element it inserted: deleted, wherever it is now, if still visible.</li>
 *   <li>An increment: the same increment negated, if the counter is still there.</li>
 *   <li>A mark: the mark's current range loses the name, then every other mark of that name
 *       (oldest first) is re-applied within the range.</li>
 *   <li>Ops inside an object the change created: nothing of their own; the object goes with its
 *       key or element.</li>
 * </ul>
 * A value counts as "the change's value" also when an earlier revert restored it: a put (or an
 * element's put without predecessors) that brings back an equal value which an op had overwritten
 * (or a delete had removed) is treated as that value, so undo, redo and undo again, or reverting
 * changes one by one, see their own restorations as such rather than as someone else's edit.
 *
 * <p>Limits: a slot that held several concurrent values before the change gets the winner back,
 * not the conflict; a deleted counter comes back with its total at the time (increments reverted
 * later in the same call are taken off the copy); a restored object is a copy (its
 * marks get Automerge's default expand); reverting several overlapping marks of one name at once
 * re-applies the earlier ones' values. Cost: per reverted op, the rows of its key or element.
 */
public final class Reverter {
  private final OpSet set;
  private final OpTable ops;
  private final DocReader reader;
  private final History history;
  private final LocalTx tx;
  /** The change being reverted: its actor index and op counters {@code [start, end)}. */
  private int actor;
  private long start;
  private long end;
  /** Memo of {@link #chain}. */
  private final Map<Integer, IntList> chains = new HashMap<>();

  private Reverter(DocEngine engine, LocalTx tx) {
    this.set = engine.opSet();
    this.ops = set.ops;
    this.reader = engine.reader();
    this.history = engine.history();
    this.tx = tx;
  }

  /**
   * The distinct {@code hashes}, newest (last applied) first.
   *
   * @throws IllegalArgumentException naming the first hash the document has not applied
   */
  public static List<ChangeHash> newestFirst(DocEngine engine, Collection<ChangeHash> hashes) {
    History h = engine.history();
    TreeSet<Integer> indexes = new TreeSet<>();
    for (ChangeHash hash : hashes) {
      int i = h.indexOf(Objects.requireNonNull(hash, "a change hash to revert is null"));
      if (i < 0) {
        throw new IllegalArgumentException("the document has no change " + hash.hex() + " to revert");
      }
      indexes.add(i);
    }
    List<ChangeHash> out = new ArrayList<>();
    for (int i : indexes.descendingSet()) {
      out.add(h.hash(i));
    }
    return out;
  }

  /** Writes into {@code tx} (the engine's open transaction) the ops reverting {@code changes}, in the order given. */
  public static void revert(DocEngine engine, LocalTx tx, List<ChangeHash> changes) {
    Reverter r = new Reverter(engine, tx);
    for (ChangeHash h : changes) {
      int i = r.history.indexOf(h);
      if (i < 0) {
        throw new IllegalArgumentException("the document has no change " + h.hex() + " to revert");
      }
      r.revertChange(i);
    }
  }

  /** A map key or a sequence element: what a put or delete targets. {@code elem} is the element's insert row, or -1. */
  private record Slot(ObjState obj, @Nullable String key, int elem) {}

  private void revertChange(int i) {
    actor = history.actor(i);
    start = history.startOp(i);
    end = start + history.opCount(i);
    Map<Slot, IntList> slots = new LinkedHashMap<>();
    IntList inserts = new IntList();
    IntList incs = new IntList();
    IntList marks = new IntList();
    for (long c = start; c < end; c++) {
      int row = set.row(OpIds.pack(c, actor));
      if (row < 0 || madeHere(set.objs.get(ops.obj(row)))) {
        continue;
      }
      int action = ops.action(row);
      if (action == Actions.MARK) {
        if (ops.markName(row) != null) {
          marks.add(row);
        }
      } else if (ops.isInsert(row)) {
        inserts.add(row);
      } else if (action == Actions.INC) {
        incs.add(row);
      } else {
        Slot s = slotOf(row);
        if (s.elem < 0 || !inChange(s.elem)) {
          slots.computeIfAbsent(s, k -> new IntList()).add(row);
        }
      }
    }
    for (int k = 0; k < inserts.size(); k++) {
      int el = inserts.get(k);
      if (ops.winner(el) != OpTable.NONE) {
        emit(new Slot(set.objs.get(ops.obj(el)), null, el), Actions.DEL, ScalarValue.NULL, set.visibleOfElement(el, null));
      }
    }
    for (Map.Entry<Slot, IntList> e : slots.entrySet()) {
      revertSlot(e.getKey(), e.getValue());
    }
    for (int k = 0; k < incs.size(); k++) {
      revertIncrement(incs.get(k));
    }
    for (int k = 0; k < marks.size(); k++) {
      revertMark(marks.get(k));
    }
  }

  private boolean inChange(int row) {
    long id = ops.id(row);
    long c = OpIds.counter(id);
    return OpIds.actor(id) == actor && c >= start && c < end;
  }

  /** Whether the change being reverted created {@code o}: its ops go with the object. */
  private boolean madeHere(ObjState o) {
    return o.createRow >= 0 && inChange(o.createRow);
  }

  private Slot slotOf(int row) {
    ObjState o = set.objs.get(ops.obj(row));
    String key = ops.key(row);
    return key != null ? new Slot(o, key, -1) : new Slot(o, null, set.row(ops.elem(row)));
  }

  private int[] visible(Slot s) {
    return s.key != null ? set.visibleAtKey(s.obj, s.key, null) : set.visibleOfElement(s.elem, null);
  }

  /** Every value-holding row of the slot (a key's rows, or an element's insert and updates). */
  private IntList valueRows(Slot s) {
    IntList out = new IntList();
    if (s.key != null) {
      Rows rows = s.obj.keys.get(s.key);
      for (int k = 0; rows != null && k < rows.n; k++) {
        out.add(rows.get(k));
      }
    } else {
      out.add(s.elem);
      for (int u = ops.updHead(s.elem); u != OpTable.NONE; u = ops.updNext(u)) {
        out.add(u);
      }
    }
    return out;
  }

  private void revertSlot(Slot slot, IntList rows) {
    IntList pre = new IntList();
    IntList left = new IntList();
    for (int k = 0; k < rows.size(); k++) {
      int r = rows.get(k);
      for (int e = ops.firstPred(r); e != OpTable.NONE; e = ops.nextPred(e)) {
        int p = ops.predOpAt(e);
        if (!inChange(p) && !contains(pre, p)) {
          pre.add(p);
        }
      }
      if (ops.holdsValue(r) && !hiddenByChange(r)) {
        left.add(r);
      }
    }
    int[] now = visible(slot);
    if (left.isEmpty()) {
      // the change deleted the slot: restore it unless someone has put something there since
      if (now.length == 0) {
        restore(slot, pre, now);
      }
      return;
    }
    IntList mine = new IntList();
    for (int v : now) {
      IntList stands = chain(slot, v);
      for (int k = 0; k < stands.size(); k++) {
        if (contains(left, stands.get(k))) {
          mine.add(v);
          break;
        }
      }
    }
    if (mine.isEmpty()) {
      return; // someone else changed it since: theirs stays
    }
    if (mine.size() < now.length) {
      emit(slot, Actions.DEL, ScalarValue.NULL, mine.toArray()); // concurrent values stay
      return;
    }
    restore(slot, pre, now);
  }

  private boolean hiddenByChange(int r) {
    for (int e = ops.firstSucc(r); e != OpTable.NONE; e = ops.nextSucc(e)) {
      int s = ops.succOpAt(e);
      if (inChange(s) && ops.hides(r, s)) {
        return true;
      }
    }
    return false;
  }

  /** Brings back the newest of {@code pre} that no one else has overwritten, or clears the slot. */
  private void restore(Slot slot, IntList pre, int[] now) {
    int best = -1;
    for (int k = 0; k < pre.size(); k++) {
      int p = pre.get(k);
      if (ops.holdsValue(p) && !overwrittenElsewhere(p) && (best < 0 || set.cmp(ops.id(p), ops.id(best)) > 0)) {
        best = p;
      }
    }
    if (best < 0) {
      if (now.length > 0) {
        emit(slot, Actions.DEL, ScalarValue.NULL, now);
      }
      return;
    }
    int action = ops.action(best);
    if (Actions.isMake(action)) {
      int row = emit(slot, action, ScalarValue.NULL, now);
      ObjState from = set.obj(ops.id(best));
      ObjState to = set.obj(ops.id(row));
      copy(set.objId(from), set.objId(to), to.type);
    } else {
      ScalarValue v = ops.isCounter(best) ? (ScalarValue) set.valueOf(best, null) : ops.value(best);
      emit(slot, Actions.SET, v, now);
    }
  }

  /** Whether an op outside the change being reverted also hid {@code p}. */
  private boolean overwrittenElsewhere(int p) {
    for (int e = ops.firstSucc(p); e != OpTable.NONE; e = ops.nextSucc(e)) {
      int s = ops.succOpAt(e);
      if (!inChange(s) && ops.hides(p, s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The ops whose value {@code q} stands for: itself, then the op it restored, the op that one
   * restored, and so on (memoised: rows added later never change an older row's chain).
   */
  private IntList chain(Slot slot, int q) {
    IntList known = chains.get(q);
    if (known != null) {
      return known;
    }
    IntList out = new IntList();
    for (int cur = q; cur >= 0; cur = restored(slot, cur)) {
      out.add(cur);
    }
    chains.put(q, out);
    return out;
  }

  /**
   * The op that {@code q} restored, or -1: an older op of the slot with an equal value that one of
   * {@code q}'s predecessors (or an op that predecessor stands for) had overwritten; or, when
   * {@code q} has no predecessors, that a delete older than {@code q} had removed.
   */
  private int restored(Slot slot, int q) {
    if (ops.isInsert(q) || !ops.holdsValue(q)) {
      return -1;
    }
    int best = -1;
    if (ops.firstPred(q) != OpTable.NONE) {
      for (int e = ops.firstPred(q); e != OpTable.NONE; e = ops.nextPred(e)) {
        IntList xs = chain(slot, ops.predOpAt(e));
        for (int k = 0; k < xs.size(); k++) {
          for (int f = ops.firstPred(xs.get(k)); f != OpTable.NONE; f = ops.nextPred(f)) {
            best = newerCandidate(best, ops.predOpAt(f), q);
          }
        }
      }
      return best;
    }
    IntList rows = valueRows(slot);
    for (int k = 0; k < rows.size(); k++) {
      int p = rows.get(k);
      for (int e = ops.firstSucc(p); e != OpTable.NONE; e = ops.nextSucc(e)) {
        int s = ops.succOpAt(e);
        if (ops.action(s) == Actions.DEL && set.cmp(ops.id(s), ops.id(q)) < 0) {
          best = newerCandidate(best, p, q);
        }
      }
    }
    return best;
  }

  /** {@code p} if it could be what {@code q} restored (older, same value) and is newer than {@code best}; else {@code best}. */
  private int newerCandidate(int best, int p, int q) {
    if (p == q || set.cmp(ops.id(p), ops.id(q)) >= 0 || !ops.holdsValue(p) || !sameValue(p, q)) {
      return best;
    }
    return best < 0 || set.cmp(ops.id(p), ops.id(best)) > 0 ? p : best;
  }

  private boolean sameValue(int p, int q) {
    int a = ops.action(p);
    if (a != ops.action(q)) {
      return false;
    }
    if (Actions.isMake(a)) {
      return true; // a restored object is a copy: same type is as far as identity goes
    }
    if (ops.isCounter(p) || ops.isCounter(q)) {
      return ops.isCounter(p) && ops.isCounter(q);
    }
    return MarkValues.same(ops.value(p), ops.value(q));
  }

  /** Increments the counter the op incremented, or its restored copy, by the negated amount, if it still shows. */
  private void revertIncrement(int row) {
    Slot slot = slotOf(row);
    IntList targets = new IntList();
    for (int v : visible(slot)) {
      if (!ops.isCounter(v)) {
        continue;
      }
      IntList stands = chain(slot, v);
      for (int k = 0; k < stands.size(); k++) {
        int p = stands.get(k);
        if (!inChange(p) && isPredOf(p, row)) {
          targets.add(v);
          break;
        }
      }
    }
    if (!targets.isEmpty()) {
      emit(slot, Actions.INC, new ScalarValue.Int(-OpSet.incValue(ops.value(row))), targets.toArray());
    }
  }

  private boolean isPredOf(int p, int q) {
    for (int e = ops.firstPred(q); e != OpTable.NONE; e = ops.nextPred(e)) {
      if (ops.predOpAt(e) == p) {
        return true;
      }
    }
    return false;
  }

  private void revertMark(int begin) {
    int endRow = markEnd(begin);
    if (endRow < 0) {
      return;
    }
    ObjState o = set.objs.get(ops.obj(begin));
    String name = ops.markName(begin);
    int from = width(o, begin);
    int to = width(o, endRow);
    if (to <= from) {
      return;
    }
    ObjId id = set.objId(o);
    List<Integer> others = new ArrayList<>();
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int r = c.row();
      if (ops.action(r) == Actions.MARK && name.equals(ops.markName(r)) && !inChange(r)) {
        others.add(r);
      }
      if (!c.advance()) {
        break;
      }
    }
    others.sort((a, b) -> set.cmp(ops.id(a), ops.id(b)));
    tx.mark(id, from, to, name, ScalarValue.NULL, ExpandMark.NONE);
    for (int b : others) {
      int e = markEnd(b);
      if (e < 0) {
        continue;
      }
      int lo = Math.max(from, width(o, b));
      int hi = Math.min(to, width(o, e));
      if (lo < hi) {
        tx.mark(id, lo, hi, name, ops.value(b), expandOf(ops.expand(b), ops.expand(e)));
      }
    }
  }

  /** The end anchor of the mark whose begin anchor is {@code begin} (the op right after it), or -1. */
  private int markEnd(int begin) {
    int e = set.row(ops.id(begin) + OpIds.pack(1, 0));
    return e >= 0 && ops.action(e) == Actions.MARK && ops.markName(e) == null ? e : -1;
  }

  /** The current UTF-16 offset of the anchor in row {@code row}. */
  private int width(ObjState o, int row) {
    return (int) o.seq.widthBefore(o.seq.positionOf(row));
  }

  private static ExpandMark expandOf(boolean before, boolean after) {
    return before ? (after ? ExpandMark.BOTH : ExpandMark.BEFORE) : (after ? ExpandMark.AFTER : ExpandMark.NONE);
  }

  private int emit(Slot s, int action, ScalarValue value, int[] preds) {
    long elem = s.key != null ? OpIds.HEAD : ops.id(s.elem);
    return tx.emit(s.obj, s.key, elem, action, false, value, null, false, preds);
  }

  /** Copies the current contents of object {@code from} into the new, empty object {@code to}. */
  private void copy(ObjId from, ObjId to, ObjType type) {
    switch (type) {
      case MAP, TABLE -> {
        for (String key : reader.keys(from, null)) {
          switch (reader.get(from, key, null).orElseThrow()) {
            case Value.Obj obj -> copy(obj.id(), tx.putObject(to, key, obj.type()), obj.type());
            case ScalarValue v -> tx.put(to, key, v);
          }
        }
      }
      case LIST -> {
        int n = reader.length(from, null);
        for (int i = 0; i < n; i++) {
          switch (reader.get(from, i, null).orElseThrow()) {
            case Value.Obj obj -> copy(obj.id(), tx.insertObject(to, i, obj.type()), obj.type());
            case ScalarValue v -> tx.insert(to, i, v);
          }
        }
      }
      case TEXT -> {
        tx.spliceText(to, 0, 0, reader.text(from, null));
        for (Mark m : reader.marks(from, null)) {
          tx.mark(to, m.start(), m.end(), m.name(), m.value(), ExpandMark.AFTER);
        }
      }
    }
  }

  private static boolean contains(IntList list, int v) {
    for (int k = 0; k < list.size(); k++) {
      if (list.get(k) == v) {
        return true;
      }
    }
    return false;
  }
}

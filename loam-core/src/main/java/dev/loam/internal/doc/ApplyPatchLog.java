package dev.loam.internal.doc;

import dev.loam.Heads;
import dev.loam.ObjType;
import dev.loam.Patch;
import dev.loam.Prop;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Records what each op of a change does to the current state while {@link ChangeApplier} applies
 * it, and turns one change's record into patches: Automerge's patch log during
 * {@code applyChanges}, so that learning what one change did costs that change's ops, not the
 * document's size.
 *
 * <p>Implementation notes. Around each op, {@link #before} notes what its key or element showed
 * (visible or not, the winning row, the element's index and width) and {@link #after} compares it
 * with what it shows now: a map key that shows a value gets a put (its winner and whether it is
 * conflicted), one that showed a value and shows none a delete; a list element that appeared is
 * an insert, one that vanished a delete, one whose winner changed a put; in text a character
 * that appeared is a splice, one that vanished a delete, one replaced both. Indexes are the current
 * ones, so each event's index holds after the events before it; {@link PatchBuilder} turns each
 * into a patch with its path at that point, and neighbouring splices (or deletes) join.
 * A change that touches marks or text holding marks (splices carry the marks in force), or that
 * shows again an object made earlier (a hidden conflicting value exposed by a delete: its whole
 * state is news) is left to the {@link Differ} between the heads before and after it, which costs
 * the document's size but is rare. Used by one thread, for one document.
 */
final class ApplyPatchLog {
  private final OpSet set;
  private final HistoryView view;
  private final List<Patch> patches = new ArrayList<>();

  // what the op being applied found
  private int oldWinner;
  private int oldIndex;
  private int oldWidth;
  private boolean oldConflict;

  /** The heads before the change; the change is diffed instead when {@link #exact}. */
  private Heads start = Heads.EMPTY;
  private boolean exact;

  ApplyPatchLog(OpSet set, HistoryView view) {
    this.set = set;
    this.view = view;
  }

  /** Starts the record of a change applied to the current state. */
  void begin() {
    start = view.heads();
    exact = false;
    patches.clear();
  }

  /** Notes the state of the key or element an op is about to change. */
  void before(ObjState obj, @Nullable String key, long elem, boolean insert, int action) {
    // marks change what splices carry: leave changes near marks to the differ
    exact |= action == Actions.MARK || obj.markOps > 0;
    oldWinner = OpTable.NONE;
    // an op that does not fit its object is refused by OpSet.apply, with a clear message
    if (key != null && !obj.type.isSequence()) {
      int[] rows = set.visibleAtKey(obj, key, null);
      oldWinner = rows.length == 0 ? OpTable.NONE : rows[rows.length - 1];
      oldConflict = rows.length > 1;
    } else if (key == null && !insert && obj.type.isSequence() && set.row(elem) >= 0) {
      int el = set.row(elem);
      oldWinner = set.ops.winner(el);
      oldWidth = set.ops.elemWidth(el);
      oldIndex = index(obj, el);
      oldConflict = set.visibleOfElement(el, null).length > 1;
    }
  }

  /** Records what the op (now row {@code row}) changed. */
  void after(ObjState obj, @Nullable String key, long elem, boolean insert, int row) {
    if (exact) {
      return;
    }
    if (key != null) {
      int[] rows = set.visibleAtKey(obj, key, null);
      if (rows.length > 0) {
        int w = rows[rows.length - 1];
        exposes(w, row);
        if (w != oldWinner || rows.length > 1 != oldConflict || set.ops.value(w) instanceof ScalarValue.Counter) {
          add(obj, new DiffEvent.Put(Prop.key(key), set.valueOf(w, null), rows.length > 1));
        }
      } else if (oldWinner != OpTable.NONE) {
        add(obj, new DiffEvent.DeleteMap(key));
      }
      return;
    }
    int el = insert ? row : set.row(elem);
    int w = set.ops.winner(el);
    if (w != OpTable.NONE) {
      exposes(w, row);
    }
    boolean text = obj.type == ObjType.TEXT;
    if (insert) {
      if (w != OpTable.NONE) {
        appeared(obj, index(obj, el), el, w, text);
      }
      return;
    }
    boolean conflict = set.visibleOfElement(el, null).length > 1;
    if (w == OpTable.NONE) {
      if (oldWinner != OpTable.NONE) {
        add(obj, new DiffEvent.DeleteSeq(oldIndex, text ? oldWidth : 1));
      }
    } else if (oldWinner == OpTable.NONE) {
      appeared(obj, oldIndex, el, w, text);
    } else if (w != oldWinner || conflict != oldConflict || set.ops.value(w) instanceof ScalarValue.Counter) {
      if (text) {
        add(obj, new DiffEvent.DeleteSeq(oldIndex, oldWidth));
        appeared(obj, oldIndex, el, w, true);
      } else {
        add(obj, new DiffEvent.Put(Prop.index(oldIndex), set.valueOf(w, null), conflict));
      }
    }
  }

  /**
   * Notes an object shown again that an earlier op made (a hidden conflicting value exposed): its
   * whole state is news, which the differ reports.
   */
  private void exposes(int shown, int row) {
    exact |= shown != row && Actions.isMake(set.ops.action(shown));
  }

  private void appeared(ObjState obj, int index, int el, int w, boolean text) {
    Value v = set.valueOf(w, null);
    if (text && v instanceof ScalarValue.Str s) {
      add(obj, new DiffEvent.Splice(index, s.value(), Map.of()));
    } else {
      add(obj, new DiffEvent.Insert(index, v, set.visibleOfElement(el, null).length > 1));
    }
  }

  /** The current index of element {@code el}: visible elements (UTF-16 units in text) before it. */
  private static int index(ObjState obj, int el) {
    SeqTree seq = obj.seq;
    int pos = seq.positionOf(el);
    return obj.type == ObjType.TEXT ? (int) seq.widthBefore(pos) : seq.countBefore(pos);
  }

  /**
   * Adds the patch of one event, its path taken now: a later op of the change may move the object
   * (an insert before it in its list), and a reader applying the patches in order must find it
   * where it is at this point. A splice or delete that continues the last one joins it.
   */
  private void add(ObjState obj, DiffEvent e) {
    for (Patch p : new PatchBuilder(set, null).build(List.of(obj), List.of(e), new TreeSet<>((a, b) -> set.cmp(a.id, b.id)))) {
      int last = patches.size() - 1;
      Patch joined = last < 0 ? null : join(patches.get(last), p);
      if (joined != null) {
        patches.set(last, joined);
      } else {
        patches.add(p);
      }
    }
  }

  /** {@code b} joined to {@code a} when it continues it (typing, or deleting forwards), else null. */
  private static @Nullable Patch join(Patch a, Patch b) {
    if (a instanceof Patch.SpliceText x && b instanceof Patch.SpliceText y && x.marks().isEmpty() && y.marks().isEmpty()
        && sameObject(x.path(), y.path()) && index(y.path()) == index(x.path()) + x.value().length()) {
      return new Patch.SpliceText(x.path(), x.value() + y.value(), Map.of());
    }
    if (a instanceof Patch.Delete x && b instanceof Patch.Delete y && !x.path().isEmpty()
        && x.path().getLast() instanceof Prop.Index && sameObject(x.path(), y.path()) && index(y.path()) == index(x.path())) {
      return new Patch.Delete(x.path(), x.length() + y.length());
    }
    return null;
  }

  private static boolean sameObject(List<Prop> a, List<Prop> b) {
    return a.size() == b.size() && a.subList(0, a.size() - 1).equals(b.subList(0, b.size() - 1));
  }

  private static int index(List<Prop> path) {
    return path.getLast() instanceof Prop.Index i ? i.index() : -1;
  }

  /** The patches of the change recorded since {@link #begin}. */
  List<Patch> patches() {
    if (exact) {
      return new Differ(set, view).diff(start, view.heads());
    }
    return List.copyOf(patches);
  }
}

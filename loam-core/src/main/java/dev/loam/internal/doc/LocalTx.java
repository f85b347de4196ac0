package dev.loam.internal.doc;

import dev.loam.ExpandMark;
import dev.loam.InvalidOperationException;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import java.util.List;

/**
 * The operations of one open local transaction: each write becomes ops applied to the op set at
 * once (so reads see them) and remembered with their predecessors for encoding the change.
 * Whether a write emits ops, and which, follows Automerge's transaction rules exactly.
 */
public final class LocalTx {
  private final OpSet set;
  private final DocReader reader;
  final int actor;
  final long startOp;
  /** The rows of the ops made so far, in counter order. */
  final IntList rows = new IntList();

  LocalTx(OpSet set, DocReader reader, int actor, long startOp) {
    this.set = set;
    this.reader = reader;
    this.actor = actor;
    this.startOp = startOp;
  }

  /** The number of operations written so far. */
  public int opCount() {
    return rows.size();
  }

  private long nextId() {
    long ctr = startOp + rows.size();
    if (ctr > OpIds.MAX_COUNTER) {
      throw new InvalidOperationException("op counter overflow");
    }
    return OpIds.pack(ctr, actor);
  }

  /** Applies one op made by this transaction and records it; {@code predRows} are the rows it overwrites. */
  /** The pred ids of an insert: none, shared as {@link OpSet#NO_ROWS} is. */
  private static final long[] NO_IDS = {};

  int emit(ObjState obj, String key, long elem, int action, boolean insert, ScalarValue value, String mark,
      boolean expand, int[] predRows) {
    long id = nextId();
    long[] p = predRows.length == 0 ? NO_IDS : new long[predRows.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = set.ops.id(predRows[i]);
    }
    int row = set.apply(id, obj, key, elem, action, insert, value, mark, expand, p);
    rows.add(row);
    return row;
  }

  private static int[] withoutLast(int[] a) {
    int[] out = new int[a.length - 1];
    System.arraycopy(a, 0, out, 0, out.length);
    return out;
  }

  /** Put semantics shared by map keys and list elements: same value → nothing, or a delete of the losers. */
  private void putScalar(ObjState o, String key, long elem, int[] visible, ScalarValue value) {
    if (visible.length > 0) {
      int win = visible[visible.length - 1];
      // a counter compares by its current value (initial plus increments), as Automerge JS does
      ScalarValue current = set.ops.isCounter(win) ? (ScalarValue) set.valueOf(win, null) : set.ops.value(win);
      if (set.ops.action(win) == Actions.SET && MarkValues.same(current, value)) {
        if (visible.length == 1) {
          return;
        }
        emit(o, key, elem, Actions.DEL, false, ScalarValue.NULL, null, false, withoutLast(visible));
        return;
      }
    }
    emit(o, key, elem, Actions.SET, false, value, null, false, visible);
  }

  // ---- maps ----

  public void put(ObjId obj, String key, ScalarValue value) {
    ObjState o = reader.map(obj, null);
    putScalar(o, key, 0, set.visibleAtKey(o, key, null), value);
  }

  public ObjId putObject(ObjId obj, String key, ObjType type) {
    ObjState o = reader.map(obj, null);
    int row = emit(o, key, 0, makeAction(type), false, ScalarValue.NULL, null, false, set.visibleAtKey(o, key, null));
    return set.objId(set.obj(set.ops.id(row)));
  }

  public void delete(ObjId obj, String key) {
    ObjState o = reader.map(obj, null);
    int[] visible = set.visibleAtKey(o, key, null);
    if (visible.length > 0) {
      emit(o, key, 0, Actions.DEL, false, ScalarValue.NULL, null, false, visible);
    }
  }

  public void increment(ObjId obj, String key, long by) {
    ObjState o = reader.map(obj, null);
    int[] visible = set.visibleAtKey(o, key, null);
    requireCounter(visible, obj + " key \"" + key + "\"");
    emit(o, key, 0, Actions.INC, false, new ScalarValue.Int(by), null, false, visible);
  }

  private void requireCounter(int[] visible, String where) {
    for (int r : visible) {
      if (set.ops.isCounter(r)) {
        return;
      }
    }
    throw new InvalidOperationException("cannot increment " + where + ": it holds no counter");
  }

  static int makeAction(ObjType type) {
    return switch (type) {
      case MAP -> Actions.MAKE_MAP;
      case LIST -> Actions.MAKE_LIST;
      case TEXT -> Actions.MAKE_TEXT;
      case TABLE -> Actions.MAKE_TABLE;
    };
  }

  // ---- sequences ----

  private int existingElement(ObjState o, int index) {
    int el = reader.elementAt(o, index, null);
    if (el == OpTable.NONE) {
      throw new InvalidOperationException("index " + index + " is out of bounds for " + set.objId(o)
          + " of length " + reader.length(set.objId(o), null));
    }
    return el;
  }

  public void put(ObjId obj, int index, ScalarValue value) {
    ObjState o = reader.seq(obj, null);
    if (o.type == ObjType.TEXT && !(value instanceof ScalarValue.Str)) {
      throw new InvalidOperationException("text holds strings only; use a list for other values");
    }
    int el = existingElement(o, index);
    putScalar(o, null, set.ops.id(el), set.visibleOfElement(el, null), value);
  }

  public ObjId putObject(ObjId obj, int index, ObjType type) {
    ObjState o = reader.seq(obj, null);
    if (o.type == ObjType.TEXT) {
      throw new InvalidOperationException("cannot put an object into text");
    }
    int el = existingElement(o, index);
    int row = emit(o, null, set.ops.id(el), makeAction(type), false, ScalarValue.NULL, null, false,
        set.visibleOfElement(el, null));
    return set.objId(set.obj(set.ops.id(row)));
  }

  public void delete(ObjId obj, int index) {
    ObjState o = reader.seq(obj, null);
    if (o.type == ObjType.TEXT) {
      spliceText(obj, index, 1, "");
      return;
    }
    int el = existingElement(o, index);
    emit(o, null, set.ops.id(el), Actions.DEL, false, ScalarValue.NULL, null, false, set.visibleOfElement(el, null));
  }

  public void increment(ObjId obj, int index, long by) {
    ObjState o = reader.seq(obj, null);
    int el = existingElement(o, index);
    int[] visible = set.visibleOfElement(el, null);
    requireCounter(visible, obj + " index " + index);
    emit(o, null, set.ops.id(el), Actions.INC, false, new ScalarValue.Int(by), null, false, visible);
  }

  public void insert(ObjId obj, int index, ScalarValue value) {
    ObjState o = reader.seq(obj, null);
    if (o.type == ObjType.TEXT && !(value instanceof ScalarValue.Str)) {
      throw new InvalidOperationException("text holds strings only; use a list for other values");
    }
    InsertPoint p = insertPoint(o, index);
    emit(o, null, p.ref, Actions.SET, true, value, null, false, OpSet.NO_ROWS);
  }

  public ObjId insertObject(ObjId obj, int index, ObjType type) {
    ObjState o = reader.seq(obj, null);
    InsertPoint p = insertPoint(o, index);
    int row = emit(o, null, p.ref, makeAction(type), true, ScalarValue.NULL, null, false, OpSet.NO_ROWS);
    return set.objId(set.obj(set.ops.id(row)));
  }

  public void splice(ObjId obj, int index, int deleteCount, List<ScalarValue> values) {
    ObjState o = reader.seq(obj, null);
    if (o.type == ObjType.TEXT) {
      StringBuilder sb = new StringBuilder();
      for (ScalarValue v : values) {
        if (!(v instanceof ScalarValue.Str s)) {
          throw new InvalidOperationException("text holds strings only; use a list for other values");
        }
        sb.append(s.value());
      }
      spliceText(obj, index, deleteCount, sb.toString());
      return;
    }
    if (deleteCount < 0) {
      throw new InvalidOperationException("negative delete count " + deleteCount);
    }
    int at = index;
    if (!values.isEmpty()) {
      InsertPoint p = insertPoint(o, index);
      long ref = p.ref;
      for (ScalarValue v : values) {
        int row = emit(o, null, ref, Actions.SET, true, v, null, false, OpSet.NO_ROWS);
        ref = set.ops.id(row);
      }
      at = (int) p.index + values.size();
    }
    for (int i = 0; i < deleteCount; i++) {
      int el = reader.elementAt(o, at, null);
      if (el == OpTable.NONE) {
        break;
      }
      emit(o, null, set.ops.id(el), Actions.DEL, false, ScalarValue.NULL, null, false, set.visibleOfElement(el, null));
    }
  }

  public void spliceText(ObjId obj, int index, int deleteCount, String text) {
    ObjState o = reader.seq(obj, null);
    if (o.type != ObjType.TEXT) {
      throw new InvalidOperationException("object " + obj + " is a list, not text");
    }
    if (deleteCount < 0) {
      throw new InvalidOperationException("negative delete count " + deleteCount);
    }
    long at = index;
    if (!text.isEmpty()) {
      InsertPoint p = insertPoint(o, index);
      long ref = p.ref;
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        int n = Character.charCount(cp);
        int row = emit(o, null, ref, Actions.SET, true, TextChars.of(text, i, n), null, false, OpSet.NO_ROWS);
        ref = set.ops.id(row);
        i += n;
      }
      at = p.index + text.length();
    }
    long deleted = 0;
    while (deleted < deleteCount) {
      SeqTree.Cursor c = o.seq.seekVisible(at, true);
      if (!c.valid()) {
        break;
      }
      int el = c.row();
      int step = set.ops.elemWidth(el);
      if (c.widthBefore < at) {
        at = c.widthBefore + step;
        continue;
      }
      emit(o, null, set.ops.id(el), Actions.DEL, false, ScalarValue.NULL, null, false, set.visibleOfElement(el, null));
      deleted += step;
    }
  }

  public void mark(ObjId obj, int start, int end, String name, ScalarValue value, ExpandMark expand) {
    ObjState o = reader.seq(obj, null);
    if (o.type != ObjType.TEXT) {
      throw new InvalidOperationException("marks apply to text; " + obj + " is a list");
    }
    long length = o.seq.width();
    if (start < 0 || end < start || end > length) {
      throw new InvalidOperationException("mark range [" + start + ", " + end + ") is not within the text of length " + length);
    }
    if (start == end && expand == ExpandMark.NONE) {
      return;
    }
    InsertPoint b = insertPoint(o, start);
    int begin = emit(o, null, b.ref, Actions.MARK, true, value, name, expand.expandsBefore(), OpSet.NO_ROWS);
    long beginId = set.ops.id(begin);
    if (start != end) {
      InsertPoint e = insertPoint(o, end);
      if (e.pos > o.seq.positionOf(begin)) {
        emit(o, null, e.ref, Actions.MARK, true, ScalarValue.NULL, null, expand.expandsAfter(), OpSet.NO_ROWS);
        return;
      }
    }
    emit(o, null, beginId, Actions.MARK, true, ScalarValue.NULL, null, expand.expandsAfter(), OpSet.NO_ROWS);
  }

  /** Where a local insert at UTF-16 index (or list index) {@code index} goes: the element it follows and its tree position. */
  record InsertPoint(long ref, int pos, long index) {}

  /**
   * Automerge's local insert position: after the visible element that ends at or past {@code
   * target}, then past tombstones and mark anchors according to the marks' expand flags.
   */
  InsertPoint insertPoint(ObjState o, int target) {
    boolean text = o.type == ObjType.TEXT;
    long length = text ? o.seq.width() : o.seq.count();
    if (target < 0 || target > length) {
      throw new InvalidOperationException("index " + target + " is out of bounds for " + set.objId(o) + " of length " + length);
    }
    // candidates: tree position, reference element id, and the id of the mark begin it follows (or -1)
    long[] candPos = new long[4];
    long[] candRef = new long[4];
    long[] candMark = new long[4];
    int nc = 0;
    SeqTree.Cursor c;
    long index;
    long lastVisible;
    if (target == 0) {
      candPos[0] = 0;
      candRef[0] = OpIds.HEAD;
      candMark[0] = -1;
      nc = 1;
      c = o.seq.begin();
      index = 0;
      lastVisible = OpIds.HEAD;
      if (!c.valid() || o.markOps == 0) {
        return new InsertPoint(OpIds.HEAD, 0, 0);
      }
    } else {
      c = o.seq.seekVisible(target - 1, text);
      int e = c.row();
      index = (text ? c.widthBefore : c.countBefore) + (text ? set.ops.elemWidth(e) : 1);
      lastVisible = set.ops.id(e);
      if (o.markOps == 0) {
        // no mark anchors to step over: Automerge's candidate is always right after that element
        return new InsertPoint(lastVisible, c.posBefore + c.index + 1, index);
      }
      if (!c.advance()) {
        return new InsertPoint(lastVisible, o.seq.total(), index);
      }
    }
    int pos = c.posBefore + c.index;
    while (true) {
      int x = c.row();
      if (nc == 0) {
        candPos[0] = pos;
        candRef[0] = lastVisible;
        candMark[0] = -1;
        nc = 1;
      }
      boolean stop = false;
      if (set.ops.action(x) == Actions.MARK) {
        long xid = set.ops.id(x);
        boolean isBegin = set.ops.markName(x) != null;
        int match = -1;
        if (!isBegin) {
          long beginId = xid - (1L << OpIds.ACTOR_BITS);
          for (int k = 0; k < nc; k++) {
            if (candMark[k] == beginId) {
              match = k;
              break;
            }
          }
        }
        if (match >= 0) {
          nc = match;
        } else if ((isBegin && set.ops.expand(x)) || (!isBegin && !set.ops.expand(x))) {
          if (nc == candPos.length) {
            candPos = java.util.Arrays.copyOf(candPos, nc * 2);
            candRef = java.util.Arrays.copyOf(candRef, nc * 2);
            candMark = java.util.Arrays.copyOf(candMark, nc * 2);
          }
          candPos[nc] = pos + 1;
          candRef[nc] = xid;
          candMark[nc] = xid;
          nc++;
        }
      } else if (set.ops.winner(x) != OpTable.NONE && nc > 0) {
        stop = true;
      }
      if (stop || !c.advance()) {
        break;
      }
      pos++;
    }
    if (nc > 0) {
      return new InsertPoint(candRef[nc - 1], (int) candPos[nc - 1], index);
    }
    return new InsertPoint(lastVisible, o.seq.total(), index);
  }
}

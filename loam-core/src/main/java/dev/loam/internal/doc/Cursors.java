package dev.loam.internal.doc;

import dev.loam.Cursor;
import dev.loam.InvalidOperationException;
import dev.loam.ObjId;
import dev.loam.ObjType;
import org.jspecify.annotations.Nullable;

/** Cursors: element ids that keep their place, resolved to indexes as Automerge resolves them. */
public final class Cursors {
  private Cursors() {}

  public static Cursor cursor(DocReader r, ObjId obj, int index, Cursor.Move move, @Nullable Clock clock) {
    ObjState o = r.seq(obj, clock);
    if (index < 0) {
      throw new InvalidOperationException("index " + index + " is out of bounds for " + obj);
    }
    int el = r.elementAt(o, index, clock);
    if (el == OpTable.NONE) {
      // at or past the end, as Automerge JS answers
      return Cursor.END;
    }
    OpSet set = r.opSet();
    long id = set.ops.id(set.winnerAt(el, clock));
    return Cursor.at(OpIds.counter(id), set.actors.get(OpIds.actor(id)), move);
  }

  public static int resolve(DocReader r, ObjId obj, Cursor cursor, @Nullable Clock clock) {
    ObjState o = r.seq(obj, clock);
    if (cursor.isStart()) {
      return 0;
    }
    if (cursor.isEnd()) {
      return r.length(obj, clock);
    }
    OpSet set = r.opSet();
    int a = set.knownActor(cursor.actor().orElseThrow());
    int row = a < 0 ? -1 : set.row(OpIds.pack(cursor.counter(), a));
    if (row < 0 || set.ops.obj(row) != o.index || !set.inClock(row, clock)) {
      throw new InvalidOperationException("cursor " + cursor + " does not point into " + obj);
    }
    Found f = find(set, o, row, clock);
    if (cursor.move() == Cursor.Move.AFTER || f.visible || f.index == 0) {
      return f.index;
    }
    long key = set.ops.elem(row);
    while (key != OpIds.HEAD) {
      int k = set.row(key);
      Found g = find(set, o, k, clock);
      if (g.visible) {
        return g.index;
      }
      key = set.ops.elem(k);
    }
    return 0;
  }

  private record Found(int index, boolean visible) {}

  /** The index of the element holding {@code row}, and whether {@code row} is one of its visible ops. */
  private static Found find(OpSet set, ObjState o, int row, @Nullable Clock clock) {
    int el = set.ops.isInsert(row) ? row : set.row(set.ops.elem(row));
    boolean text = o.type == ObjType.TEXT;
    boolean visible = false;
    for (int v : set.visibleOfElement(el, clock)) {
      visible |= v == row;
    }
    if (clock == null) {
      int pos = o.seq.positionOf(el);
      return new Found((int) (text ? o.seq.widthBefore(pos) : o.seq.countBefore(pos)), visible);
    }
    long index = 0;
    for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
      int e = c.row();
      if (e == el) {
        break;
      }
      index += text ? set.widthAt(o, e, clock) : (set.winnerAt(e, clock) == OpTable.NONE ? 0 : 1);
      if (!c.advance()) {
        break;
      }
    }
    return new Found((int) index, visible);
  }
}

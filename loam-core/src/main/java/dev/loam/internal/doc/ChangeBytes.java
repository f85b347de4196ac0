package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import dev.loam.internal.change.ChangeMeta;
import dev.loam.internal.codec.ChangeChunk;
import dev.loam.internal.codec.ChangeTails;
import dev.loam.internal.codec.ChangeOpSource;
import dev.loam.internal.codec.IntSort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes a change's chunk from the op rows it created: local commits are encoded this way, and so
 * is every applied change when someone asks for its bytes, because the history keeps none.
 *
 * <p>The output is the canonical form (format reference §A.11): the author, then the other actors
 * the ops name sorted by bytes; ops by counter; each op's preds by (counter, actor bytes); deps
 * sorted. A change that arrived in another form keeps its own bytes (see {@link History}).
 *
 * <p>Implementation notes: one instance per engine reuses its scratch arrays up to {@link
 * #KEPT_ROWS} ops; a larger change's arrays are dropped once it is written, so a document does not
 * keep scratch the size of its largest change. {@link #local} maps a document actor index to the
 * change's actor index, -1 when the change does not name it.
 */
final class ChangeBytes implements ChangeOpSource {
  /** Scratch arrays of up to this many ops (and preds) outlive the change they were grown for. */
  static final int KEPT_ROWS = 1024;

  private @Nullable OpSet set;
  private @Nullable OpTable ops;
  private int[] rows = new int[16];
  /** Per op of the change, its object's id and its element id, read once by {@link #prepare}. */
  private long[] objIds = new long[16];
  private long[] elemIds = new long[16];
  private int n;
  private int[] local = new int[0];
  private int[] touched = new int[8];
  /** How many of {@code touched} the change being encoded numbered in {@code local}. */
  private int touchedCount;
  /** Per op, its preds' rows in canonical order: {@code predRows[predStart[i] .. predStart[i + 1])}. */
  private int[] predStart = new int[17];
  private int[] predRows = new int[16];
  private ActorId soloAuthor;
  private List<ActorId> solo;

  /**
   * Encodes the change of {@code author} whose ops are {@code rows} (consecutive counters from
   * {@code startOp}).
   *
   * @param deps the dependencies, any order (they are written sorted)
   */
  ChangeChunk.Encoded encode(OpSet s, int author, long seq, long startOp, long time, String message,
      List<ChangeHash> deps, int[] opRows, int count, byte[] extra) {
    return encode(s, author, seq, startOp, time, message, deps, opRows, count, extra, ChangeChunk.Output.BOTH);
  }

  /** As above, making what {@code output} asks for. */
  ChangeChunk.Encoded encode(OpSet s, int author, long seq, long startOp, long time, String message,
      List<ChangeHash> deps, int[] opRows, int count, byte[] extra, ChangeChunk.Output output) {
    try {
      List<ActorId> actors = prepare(s, author, opRows, 0, count);
      List<ChangeHash> sortedDeps = deps.size() <= 1 ? deps : new ArrayList<>(deps);
      if (sortedDeps != deps) {
        sortedDeps.sort(null);
      }
      return ChangeChunk.encodeRows(new ChangeMeta(actors, seq, startOp, time, message, sortedDeps, Bytes.wrap(extra)),
          this, output);
    } finally {
      release();
    }
  }

  /**
   * Appends to {@code out} the body of the same change as {@link #encode} without its deps: the
   * ops are {@code opRows[from .. from + count)}.
   */
  void appendTail(OpSet s, int author, long seq, long startOp, long time, String message, int[] opRows, int from,
      int count, byte[] extra, ChangeTails out) {
    try {
      out.append(new ChangeMeta(prepare(s, author, opRows, from, count), seq, startOp, time, message, List.of(), Bytes.wrap(extra)), this);
    } finally {
      release();
    }
  }

  /** Takes the change's rows, collects their preds and numbers the actors they name; returns the change's actors. */
  private List<ActorId> prepare(OpSet s, int author, int[] opRows, int from, int count) {
    this.set = s;
    this.ops = s.ops;
    this.n = count;
    if (rows.length < count) {
      rows = new int[Math.max(count, rows.length * 2)];
      objIds = new long[rows.length];
      elemIds = new long[rows.length];
    }
    System.arraycopy(opRows, from, rows, 0, count);
    int actorCount = s.actors.size();
    if (local.length < actorCount) {
      local = new int[Math.max(actorCount, local.length * 2)];
      Arrays.fill(local, -1);
    }
    touched = ensure(touched, 1);
    touched[0] = author;
    touchedCount = 1;
    local[author] = 0;
    collectPreds();
    for (int i = 0; i < count; i++) {
      int r = rows[i];
      long obj = s.objs.get(ops.obj(r)).id;
      long elem = ops.elem(r);
      objIds[i] = obj;
      elemIds[i] = elem;
      touch(OpIds.actor(obj), obj != 0);
      if (elem != OpIds.HEAD && ops.key(r) == null) {
        touch(OpIds.actor(elem), true);
      }
      for (int k = predStart[i]; k < predStart[i + 1]; k++) {
        touch(OpIds.actor(ops.id(predRows[k])), true);
      }
    }
    int nTouched = touchedCount;
    // other actors by byte order
    IntSort.sort(touched, 1, nTouched, (x, y) -> Integer.compare(s.rank(x), s.rank(y)));
    if (nTouched == 1) {
      // most changes name only their author: one list per author, not one per change
      local[author] = 0;
      ActorId a = s.actors.get(author);
      if (soloAuthor != a) {
        soloAuthor = a;
        solo = List.of(a);
      }
      return solo;
    }
    List<ActorId> actors = new ArrayList<>(nTouched);
    for (int i = 0; i < nTouched; i++) {
      local[touched[i]] = i;
      actors.add(s.actors.get(touched[i]));
    }
    return actors;
  }

  private void release() {
    for (int i = 0; i < touchedCount; i++) {
      local[touched[i]] = -1;
    }
    touchedCount = 0;
    set = null;
    ops = null;
    if (rows.length > KEPT_ROWS) {
      rows = new int[16];
      objIds = new long[16];
      elemIds = new long[16];
    }
    if (predStart.length > KEPT_ROWS + 1) {
      predStart = new int[17];
    }
    if (predRows.length > KEPT_ROWS) {
      predRows = new int[16];
    }
  }

  private void touch(int actor, boolean present) {
    if (present && local[actor] == -1) {
      local[actor] = Integer.MAX_VALUE; // seen; numbered once sorted
      touched = ensure(touched, touchedCount + 1);
      touched[touchedCount++] = actor;
    }
  }

  private static int[] ensure(int[] a, int size) {
    return a.length >= size ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
  }

  private void collectPreds() {
    predStart = ensure(predStart, n + 1);
    int p = 0;
    for (int i = 0; i < n; i++) {
      predStart[i] = p;
      int from = p;
      for (int e = ops.firstPred(rows[i]); e != OpTable.NONE; e = ops.nextPred(e)) {
        predRows = ensure(predRows, p + 1);
        predRows[p++] = ops.predOpAt(e);
      }
      if (p - from > 1) {
        IntSort.sort(predRows, from, p, (x, y) -> set.cmp(ops.id(x), ops.id(y)));
      }
    }
    predStart[n] = p;
  }

  @Override public int size() { return n; }
  @Override public int objActor(int i) { long o = objIds[i]; return o == 0 ? -1 : local[OpIds.actor(o)]; }
  @Override public long objCtr(int i) { return OpIds.counter(objIds[i]); }
  @Override public String key(int i) { return ops.key(rows[i]); }
  @Override public int elemActor(int i) { long e = elemIds[i]; return e == OpIds.HEAD ? -1 : local[OpIds.actor(e)]; }
  @Override public long elemCtr(int i) { long e = elemIds[i]; return e == OpIds.HEAD ? 0 : OpIds.counter(e); }
  @Override public boolean insert(int i) { return ops.isInsert(rows[i]); }
  @Override public int action(int i) { return ops.action(rows[i]); }
  @Override public ScalarValue value(int i) { return ops.value(rows[i]); }
  @Override public int predCount(int i) { return predStart[i + 1] - predStart[i]; }
  @Override public int predActor(int i, int k) { return local[OpIds.actor(ops.id(predRows[predStart[i] + k]))]; }
  @Override public long predCtr(int i, int k) { return OpIds.counter(ops.id(predRows[predStart[i] + k])); }
  @Override public boolean expand(int i) { return ops.expand(rows[i]); }
  @Override public String markName(int i) { return ops.markName(rows[i]); }
  /** Reads only: the op table, and the rows, ids and maps {@link #prepare} filled. */
  @Override public boolean concurrentReads() { return true; }
}

package dev.loam.internal.codec;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.ChangeHash;
import dev.loam.DecodeException;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.change.ChangeMeta;
import dev.loam.internal.change.ChangeOp;
import dev.loam.internal.change.StoredChange;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * Regenerates the change chunks a document stores implicitly (format reference §A.11).
 *
 * <ol>
 *   <li>Expand successors into preds; a successor that is not an op row is a delete, synthesised
 *       with the same object and the key of its target (the target's own id if the target is an
 *       insert).
 *   <li>Give each op to the first change of its actor, in maxOp order, whose maxOp is at least the
 *       op's counter.
 *   <li>Per change, in table order: ops by counter, preds by (counter, actor bytes), otherActors
 *       sorted, deps by row; encode canonically and hash.
 * </ol>
 *
 * <p>Implementation notes: op ids are found through an {@link OpIdIndex} (O(1)); assignment is a
 * binary search per op over its actor's changes; ops are grouped by one primitive sort of packed
 * (change, counter) keys. O(n log n) overall, with n ops plus deletes; no per-op objects until the
 * {@link ChangeOp}s themselves.
 */
final class ChangeRebuilder {
  // Shared by every op without preds: ChangeOp never writes to its arrays.
  private static final long[] NO_COUNTERS = new long[0];
  private static final int[] NO_ACTORS = new int[0];

  private final List<ActorId> actors;
  private final DocumentChunk.ChangeTable t;
  private final DocumentChunk.DocOps o;
  private final long at;
  private final int[] rank;
  private final OpIdIndex ids;
  private int total;
  private int[] predStart;
  private int[] predSrc;

  ChangeRebuilder(List<ActorId> actors, DocumentChunk.ChangeTable table, DocumentChunk.DocOps ops, long at) {
    this.actors = actors;
    this.t = table;
    this.o = ops;
    this.at = at;
    Integer[] order = new Integer[actors.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> actors.get(x).compareTo(actors.get(y)));
    rank = new int[actors.size()];
    for (int i = 0; i < order.length; i++) {
      rank[order[i]] = i;
    }
    ids = new OpIdIndex(ops.rows + 16);
  }

  List<StoredChange> rebuild() {
    indexOps();
    checkMarks();
    expandSuccessors();
    return encodeChanges(assign());
  }

  private DecodeException error(String expected) {
    return new DecodeException(at, expected);
  }

  private void indexOps() {
    for (int r = 0; r < o.rows; r++) {
      if (!ids.putIfAbsent(o.idCtr[r], o.idActor[r], r)) {
        throw error("op " + r + ": a unique op id (duplicate " + o.idCtr[r] + "@" + o.idActor[r] + ")");
      }
    }
    total = o.rows;
  }

  /** A mark's end op (begin id + 1) must not come before its begin in document order. */
  private void checkMarks() {
    for (int r = 0; r < o.rows; r++) {
      if (o.action[r] == Actions.MARK && o.markName[r] == null && o.idCtr[r] > 1) {
        int b = ids.get(o.idCtr[r] - 1, o.idActor[r]);
        if (b > r && o.action[b] == Actions.MARK && o.markName[b] != null) {
          throw error("op " + r + ": a mark end after its begin (invalid mark operation order)");
        }
      }
    }
  }

  private void expandSuccessors() {
    int succRows = o.succStart[o.rows];
    int[] target = new int[succRows];
    int[] source = new int[succRows];
    for (int x = 0; x < o.rows; x++) {
      for (int s = o.succStart[x]; s < o.succStart[x + 1]; s++) {
        long ctr = o.succCtr[s];
        int actor = o.succActor[s];
        int row = ids.get(ctr, actor);
        if (row < 0) {
          row = total++;
          ids.putIfAbsent(ctr, actor, row);
          o.idCtr[row] = ctr;
          o.idActor[row] = actor;
          o.objActor[row] = o.objActor[x];
          o.objCtr[row] = o.objCtr[x];
          if (o.keyStr[x] != null) {
            o.keyStr[row] = o.keyStr[x];
            o.keyActor[row] = -1;
          } else if (o.insert[x]) {
            o.keyActor[row] = o.idActor[x];
            o.keyCtr[row] = o.idCtr[x];
          } else {
            o.keyActor[row] = o.keyActor[x];
            o.keyCtr[row] = o.keyCtr[x];
          }
          o.action[row] = Actions.DEL;
          o.value[row] = ScalarValue.NULL;
        }
        target[s] = row;
        source[s] = x;
      }
    }
    predStart = new int[total + 1];
    for (int s = 0; s < succRows; s++) {
      predStart[target[s] + 1]++;
    }
    for (int i = 0; i < total; i++) {
      predStart[i + 1] += predStart[i];
    }
    predSrc = new int[succRows];
    int[] fill = Arrays.copyOf(predStart, total);
    for (int s = 0; s < succRows; s++) {
      predSrc[fill[target[s]]++] = source[s];
    }
    for (int i = 0; i < total; i++) {
      // by (counter, actor bytes): pred lists are almost always 0 or 1 long, but need not be
      if (predStart[i + 1] - predStart[i] > 1) {
        IntSort.sort(predSrc, predStart[i], predStart[i + 1], this::comparePred);
      }
    }
  }

  private int comparePred(int a, int b) {
    int c = Long.compare(o.idCtr[a], o.idCtr[b]);
    return c != 0 ? c : Integer.compare(rank[o.idActor[a]], rank[o.idActor[b]]);
  }

  /** Sorted packed keys (change index << 32 | counter), one per op. */
  private long[] assign() {
    int[] identity = new int[actors.size()];
    for (int a = 0; a < identity.length; a++) {
      identity[a] = a;
    }
    DocumentChunk.Covering covering = t.covering(identity, actors.size());
    long[] keys = new long[total];
    for (int op = 0; op < total; op++) {
      int a = o.idActor[op];
      long c = o.idCtr[op];
      int ci = covering.changeOf(a, c);
      if (ci < 0) {
        throw error("op " + c + "@" + actors.get(a) + ": a change of its actor whose maxOp covers it");
      }
      keys[op] = ((long) ci << 32) | c;
    }
    Arrays.sort(keys);
    return keys;
  }

  private List<StoredChange> encodeChanges(long[] keys) {
    List<StoredChange> out = new ArrayList<>(t.size);
    ChangeHash[] hashes = new ChangeHash[t.size];
    int[] local = new int[actors.size()];
    Arrays.fill(local, -1);
    int[] touched = new int[actors.size()];
    int k = 0;
    for (int ci = 0; ci < t.size; ci++) {
      int from = k;
      while (k < keys.length && (int) (keys[k] >>> 32) == ci) {
        k++;
      }
      int author = t.author[ci];
      int n = k - from;
      long startOp = n == 0 ? t.maxOp[ci] + 1 : keys[from] & 0xffff_ffffL;
      if (n > 0 && startOp + n - 1 != t.maxOp[ci]) {
        throw error("change " + ci + ": ops numbered consecutively up to its maxOp " + t.maxOp[ci]);
      }
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        long c = keys[from + i] & 0xffff_ffffL;
        if (c != startOp + i) {
          throw error("change " + ci + ": ops numbered consecutively from " + startOp);
        }
        rows[i] = ids.get(c, author);
      }
      // Other actors: everyone referenced by an obj, an element key or a pred, sorted by bytes.
      int nTouched = 0;
      local[author] = 0;
      touched[nTouched++] = author;
      for (int row : rows) {
        nTouched = touch(o.objActor[row], local, touched, nTouched);
        if (o.keyStr[row] == null) {
          nTouched = touch(o.keyActor[row], local, touched, nTouched);
        }
        for (int p = predStart[row]; p < predStart[row + 1]; p++) {
          nTouched = touch(o.idActor[predSrc[p]], local, touched, nTouched);
        }
      }
      int[] others = Arrays.copyOfRange(touched, 1, nTouched);
      sortByRank(others);
      List<ActorId> changeActors = new ArrayList<>(others.length + 1);
      changeActors.add(actors.get(author));
      for (int i = 0; i < others.length; i++) {
        local[others[i]] = i + 1;
        changeActors.add(actors.get(others[i]));
      }
      List<ChangeHash> deps = new ArrayList<>(t.depStart[ci + 1] - t.depStart[ci]);
      for (int d = t.depStart[ci]; d < t.depStart[ci + 1]; d++) {
        deps.add(hashes[t.depRow[d]]);
      }
      // the encoder reads the op rows directly; ChangeOp objects exist only if someone asks for them
      byte[] extra = t.extra[ci];
      ChangeMeta meta = new ChangeMeta(List.copyOf(changeActors), t.seq[ci], startOp, t.time[ci], t.message[ci],
          List.copyOf(deps), extra == null ? Bytes.EMPTY : Bytes.of(extra));
      StoredChange change = ChangeChunk.encodeCanonical(meta, new RowSource(rows, local), new LazyOps(rows, author, others));
      for (int i = 0; i < nTouched; i++) {
        local[touched[i]] = -1;
      }
      hashes[ci] = change.hash();
      out.add(change);
    }
    return List.copyOf(out);
  }

  /** The rows of one change as the encoder's source; {@code local} maps document actors to the change's indexes. */
  private final class RowSource implements ChangeOpSource {
    private final int[] rows;
    private final int[] local;

    RowSource(int[] rows, int[] local) {
      this.rows = rows;
      this.local = local;
    }

    @Override public int size() { return rows.length; }
    @Override public int objActor(int i) { int a = o.objActor[rows[i]]; return a < 0 ? -1 : local[a]; }
    @Override public long objCtr(int i) { return o.objCtr[rows[i]]; }
    @Override public String key(int i) { return o.keyStr[rows[i]]; }
    @Override public int elemActor(int i) { int a = o.keyActor[rows[i]]; return a < 0 ? -1 : local[a]; }
    @Override public long elemCtr(int i) { return o.keyCtr[rows[i]]; }
    @Override public boolean insert(int i) { return o.insert[rows[i]]; }
    @Override public int action(int i) { return o.action[rows[i]]; }
    @Override public ScalarValue value(int i) { return o.value[rows[i]]; }
    @Override public int predCount(int i) { return predStart[rows[i] + 1] - predStart[rows[i]]; }
    @Override public int predActor(int i, int k) { return local[o.idActor[predSrc[predStart[rows[i]] + k]]]; }
    @Override public long predCtr(int i, int k) { return o.idCtr[predSrc[predStart[rows[i]] + k]]; }
    @Override public boolean expand(int i) { return o.expand[rows[i]]; }
    @Override public String markName(int i) { return o.markName[rows[i]]; }
    @Override public boolean concurrentReads() { return true; }
  }

  /** A change's ops, materialised as {@link ChangeOp}s on first use (only the change-by-change load path needs them). */
  private final class LazyOps extends AbstractList<ChangeOp> implements RandomAccess {
    private final int[] rows;
    private final int author;
    private final int[] others;
    private ChangeOp[] ops;

    LazyOps(int[] rows, int author, int[] others) {
      this.rows = rows;
      this.author = author;
      this.others = others;
    }

    @Override
    public int size() {
      return rows.length;
    }

    @Override
    public ChangeOp get(int i) {
      if (ops == null) {
        int[] local = new int[actors.size()];
        Arrays.fill(local, -1);
        local[author] = 0;
        for (int k = 0; k < others.length; k++) {
          local[others[k]] = k + 1;
        }
        ChangeOp[] built = new ChangeOp[rows.length];
        for (int k = 0; k < rows.length; k++) {
          built[k] = changeOp(rows[k], local);
        }
        ops = built;
      }
      return ops[i];
    }
  }

  private static int touch(int actor, int[] local, int[] touched, int n) {
    if (actor >= 0 && local[actor] == -1) {
      local[actor] = Integer.MAX_VALUE; // seen; numbered once sorted
      touched[n++] = actor;
    }
    return n;
  }

  private void sortByRank(int[] a) {
    IntSort.sort(a, 0, a.length, (x, y) -> Integer.compare(rank[x], rank[y]));
  }

  private ChangeOp changeOp(int row, int[] local) {
    int np = predStart[row + 1] - predStart[row];
    long[] pc = np == 0 ? NO_COUNTERS : new long[np];
    int[] pa = np == 0 ? NO_ACTORS : new int[np];
    for (int i = 0; i < np; i++) {
      int src = predSrc[predStart[row] + i];
      pc[i] = o.idCtr[src];
      pa[i] = local[o.idActor[src]];
    }
    boolean map = o.keyStr[row] != null;
    return new ChangeOp(
        o.objCtr[row],
        o.objActor[row] < 0 ? -1 : local[o.objActor[row]],
        o.keyStr[row],
        map ? 0 : o.keyCtr[row],
        map || o.keyActor[row] < 0 ? -1 : local[o.keyActor[row]],
        o.insert[row],
        o.action[row],
        o.value[row],
        pc,
        pa,
        o.expand[row],
        o.markName[row]);
  }
}

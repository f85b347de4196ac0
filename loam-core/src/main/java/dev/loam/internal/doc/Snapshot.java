package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.codec.DocumentContents;
import dev.loam.internal.codec.IntSort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lays out an engine's ops and history in document-chunk order ({@link DocumentContents}) for the
 * document encoder: objects root first then by op id, map keys in UTF-8 order, sequence elements in
 * list order with their update ops after each insert, deletes folded into successor lists.
 */
final class Snapshot {
  private final OpSet set;
  private final History history;
  /** Document actor index to index in the sorted actor table. */
  private final int[] actorMap;
  private final List<ActorId> sortedActors = new ArrayList<>();

  private Snapshot(OpSet set, History history) {
    this.set = set;
    this.history = history;
    boolean[] authors = new boolean[set.actors.size()];
    for (int i = 0; i < history.size(); i++) {
      authors[history.actor(i)] = true;
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < authors.length; i++) {
      if (authors[i]) {
        idx.add(i);
      }
    }
    idx.sort(Comparator.comparing(set.actors::get));
    actorMap = new int[set.actors.size()];
    Arrays.fill(actorMap, -1);
    for (int k = 0; k < idx.size(); k++) {
      actorMap[idx.get(k)] = k;
      sortedActors.add(set.actors.get(idx.get(k)));
    }
  }

  static DocumentContents of(OpSet set, History history) {
    return new Snapshot(set, history).build();
  }

  private int actor(long id) {
    int a = actorMap[OpIds.actor(id)];
    if (a < 0) {
      throw new IllegalStateException("op " + set.idString(id) + " by an actor with no change");
    }
    return a;
  }

  private DocumentContents build() {
    List<ChangeHash> heads = history.heads();
    int[] headIdx = new int[heads.size()];
    for (int i = 0; i < headIdx.length; i++) {
      headIdx[i] = history.indexOf(heads.get(i));
    }
    return new DocumentContents(List.copyOf(sortedActors), heads, headIdx, new Changes(), new Ops(order()));
  }

  /** The history's rows; a change's deps are sorted by hash when the encoder first asks for them. */
  private final class Changes implements DocumentContents.ChangeRows {
    private int depsOf = -1;
    private int[] deps = new int[4];

    @Override public int count() { return history.size(); }
    @Override public int actor(int i) { return actorMap[history.actor(i)]; }
    @Override public long seq(int i) { return history.seq(i); }
    @Override public long maxOp(int i) { return history.maxOp(i); }
    @Override public long time(int i) { return history.time(i); }
    @Override public String message(int i) { return history.message(i); }
    @Override public int depCount(int i) { return history.depCount(i); }
    @Override public byte[] extraBytes(int i) { return history.extraBytes(i); }

    @Override
    public int dep(int i, int k) {
      int nd = history.depCount(i);
      if (nd == 1) {
        return history.dep(i, 0);
      }
      if (depsOf != i) {
        if (deps.length < nd) {
          deps = new int[nd];
        }
        for (int m = 0; m < nd; m++) {
          deps[m] = history.dep(i, m);
        }
        IntSort.sort(deps, 0, nd, history::compareHashes);
        depsOf = i;
      }
      return deps[k];
    }
  }

  /** Every row except deletes, in document order (see {@link DocumentContents}). */
  private int[] order() {
    OpTable t = set.ops;
    int[] order = new int[t.size];
    int n = 0;
    List<ObjState> objs = new ArrayList<>(set.objs);
    objs.sort((a, b) -> a.id == b.id ? 0 : a.id == 0 ? -1 : b.id == 0 ? 1 : set.cmp(a.id, b.id));
    for (ObjState o : objs) {
      if (o.keys != null) {
        for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
          Rows rows = e.getValue();
          for (int i = 0; i < rows.n; i++) {
            order[n++] = rows.get(i);
          }
        }
      } else {
        for (SeqTree.Cursor c = o.seq.begin(); c.valid(); ) {
          int el = c.row();
          order[n++] = el;
          for (int u = t.updHead(el); u != OpTable.NONE; u = t.updNext(u)) {
            order[n++] = u;
          }
          if (!c.advance()) {
            break;
          }
        }
      }
    }
    return Arrays.copyOf(order, n);
  }

  /** The op table's rows in document order; a row's successors are sorted when first asked for. */
  private final class Ops implements DocumentContents.OpRows {
    private final OpTable t = set.ops;
    private final int[] order;
    private Succ succ;

    Ops(int[] order) {
      this.order = order;
    }

    private long objId(int i) {
      return set.objs.get(t.obj(order[i])).id;
    }

    @Override public int count() { return order.length; }
    @Override public long idCtr(int i) { return OpIds.counter(t.id(order[i])); }
    @Override public int idActor(int i) { return actor(t.id(order[i])); }
    @Override public long objCtr(int i) { return OpIds.counter(objId(i)); }
    @Override public int objActor(int i) { long o = objId(i); return o == 0 ? -1 : actor(o); }
    @Override public String key(int i) { return t.key(order[i]); }
    @Override public long elemCtr(int i) { long e = t.elem(order[i]); return e == OpIds.HEAD ? 0 : OpIds.counter(e); }
    @Override public int elemActor(int i) { long e = t.elem(order[i]); return e == OpIds.HEAD ? -1 : actor(e); }
    @Override public boolean insert(int i) { return t.isInsert(order[i]); }
    @Override public int action(int i) { return t.action(order[i]); }
    @Override public boolean expand(int i) { return t.expand(order[i]); }
    @Override public String markName(int i) { return t.markName(order[i]); }
    /** Reads change nothing but the successor scratch, which only the value side asks for. */
    @Override public boolean concurrentReads() { return true; }

    @Override
    public ScalarValue value(int i) {
      int r = order[i];
      int a = t.action(r);
      return a == Actions.SET || a == Actions.INC || (a == Actions.MARK && t.markName(r) != null) ? t.value(r) : ScalarValue.NULL;
    }

    @Override
    public int succCount(int i) {
      return succ(i).count;
    }

    @Override
    public long succCtr(int i, int k) {
      return OpIds.counter(t.id(succ(i).rows[k]));
    }

    @Override
    public int succActor(int i, int k) {
      return actor(t.id(succ(i).rows[k]));
    }

    private Succ succ(int i) {
      Succ s = succ;
      if (s == null) {
        // made by the thread that reads successors, in its own memory: the writes below would
        // otherwise share a cache line with the fields the other thread reads for every row
        s = succ = new Succ();
      }
      if (s.of != i) {
        s.prepare(order[i]);
        s.of = i;
      }
      return s;
    }
  }

  /** The successors of one op row, sorted by op id. */
  private final class Succ {
    int of = -1;
    int count;
    int[] rows = new int[8];

    void prepare(int r) {
      OpTable t = set.ops;
      int sc = 0;
      for (int s = t.firstSucc(r); s != OpTable.NONE; s = t.nextSucc(s)) {
        if (sc == rows.length) {
          rows = Arrays.copyOf(rows, sc * 2);
        }
        rows[sc++] = t.succOpAt(s);
      }
      if (sc > 1) {
        // a counter incremented a million times has a million successors
        IntSort.sort(rows, 0, sc, (x, y) -> set.cmp(t.id(x), t.id(y)));
      }
      count = sc;
    }
  }

}

package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.ChangeHash;
import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import dev.loam.internal.codec.DocumentContents;
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
    int n = history.size();
    int[] actor = new int[n];
    long[] seq = new long[n];
    long[] maxOp = new long[n];
    long[] time = new long[n];
    String[] message = new String[n];
    int[] depStart = new int[n + 1];
    int[] depRow = new int[depTotal()];
    byte[][] extra = new byte[n][];
    for (int i = 0; i < n; i++) {
      actor[i] = actorMap[history.actor(i)];
      seq[i] = history.seq(i);
      maxOp[i] = history.maxOp(i);
      time[i] = history.time(i);
      message[i] = history.message(i);
      int nd = history.depCount(i);
      int at = depStart[i];
      for (int k = 0; k < nd; k++) {
        // insertion sort by hash: a change has few deps
        int d = history.dep(i, k);
        int j = at + k - 1;
        while (j >= at && history.compareHashes(depRow[j], d) > 0) {
          depRow[j + 1] = depRow[j];
          j--;
        }
        depRow[j + 1] = d;
      }
      depStart[i + 1] = at + nd;
      extra[i] = history.extraBytes(i);
    }
    List<ChangeHash> heads = history.heads();
    int[] headIdx = new int[heads.size()];
    for (int i = 0; i < headIdx.length; i++) {
      headIdx[i] = history.indexOf(heads.get(i));
    }
    DocumentContents.ChangeRows changes = new DocumentContents.ChangeRows(n, actor, seq, maxOp, time, message, depStart, depRow, extra);
    return new DocumentContents(List.copyOf(sortedActors), heads, headIdx, changes, ops());
  }

  private int depTotal() {
    int total = 0;
    for (int i = 0; i < history.size(); i++) {
      total += history.depCount(i);
    }
    return total;
  }

  private DocumentContents.OpRows ops() {
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
          for (int u = t.updHead[el]; u != OpTable.NONE; u = t.updNext[u]) {
            order[n++] = u;
          }
          if (!c.advance()) {
            break;
          }
        }
      }
    }
    long[] idCtr = new long[n];
    int[] idActor = new int[n];
    long[] objCtr = new long[n];
    int[] objActor = new int[n];
    String[] key = new String[n];
    long[] elemCtr = new long[n];
    int[] elemActor = new int[n];
    boolean[] insert = new boolean[n];
    int[] action = new int[n];
    ScalarValue[] value = new ScalarValue[n];
    long[][] succCtr = new long[n][];
    int[][] succActor = new int[n][];
    boolean[] expand = new boolean[n];
    String[] markName = new String[n];
    long[] succIds = new long[8];
    for (int i = 0; i < n; i++) {
      int r = order[i];
      long id = t.id[r];
      idCtr[i] = OpIds.counter(id);
      idActor[i] = actor(id);
      long obj = set.objs.get(t.obj[r]).id;
      objCtr[i] = OpIds.counter(obj);
      objActor[i] = obj == 0 ? -1 : actor(obj);
      key[i] = t.key[r];
      if (t.key[r] == null && t.elem[r] != OpIds.HEAD) {
        elemCtr[i] = OpIds.counter(t.elem[r]);
        elemActor[i] = actor(t.elem[r]);
      } else {
        elemActor[i] = -1;
      }
      insert[i] = t.isInsert(r);
      action[i] = t.action[r];
      value[i] = action[i] == Actions.SET || action[i] == Actions.INC || (action[i] == Actions.MARK && t.markName[r] != null)
          ? t.value[r] : ScalarValue.NULL;
      int sc = 0;
      for (int s = t.firstSucc(r); s != OpTable.NONE; s = t.nextSucc(s)) {
        if (sc == succIds.length) {
          succIds = Arrays.copyOf(succIds, sc * 2);
        }
        succIds[sc++] = t.id[t.succOpAt(s)];
      }
      if (sc == 0) {
        // most ops have no successor: share one pair of empty arrays (the encoder only reads them)
        succCtr[i] = NO_COUNTERS;
        succActor[i] = NO_ACTORS;
      } else {
        if (sc > 1) {
          sortIds(succIds, sc);
        }
        succCtr[i] = new long[sc];
        succActor[i] = new int[sc];
        for (int k = 0; k < sc; k++) {
          succCtr[i][k] = OpIds.counter(succIds[k]);
          succActor[i][k] = actor(succIds[k]);
        }
      }
      expand[i] = t.expand(r);
      markName[i] = t.markName[r];
    }
    return new DocumentContents.OpRows(n, idCtr, idActor, objCtr, objActor, key, elemCtr, elemActor, insert, action,
        value, succCtr, succActor, expand, markName);
  }

  private static final long[] NO_COUNTERS = new long[0];
  private static final int[] NO_ACTORS = new int[0];

  /** Sorts the first {@code n} ids by op id order (insertion sort: successor lists are short). */
  private void sortIds(long[] ids, int n) {
    for (int i = 1; i < n; i++) {
      long x = ids[i];
      int j = i - 1;
      while (j >= 0 && set.cmp(ids[j], x) > 0) {
        ids[j + 1] = ids[j];
        j--;
      }
      ids[j + 1] = x;
    }
  }
}

package dev.loam.internal.doc;

import dev.loam.ActorId;
import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ScalarValue;
import dev.loam.Value;
import dev.loam.internal.change.Actions;
import dev.loam.internal.codec.DocumentChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The current state of a document's operations: every op in an {@link OpTable}, every object in
 * an {@link ObjState}, and the rules that decide what is visible.
 *
 * <p>Implementation notes: op ids are packed longs ({@link OpIds}); they compare by counter, then
 * by actor bytes through {@link #rank}. A map key's rows and a sequence element's update rows are
 * kept sorted by op id, so the winner is the last visible row. Sequence inserts follow RGA: a new
 * element goes after its reference, past every following element with a greater id (those are
 * exactly the later concurrent inserts and their descendants). Historical reads take a {@link
 * Clock} and recompute visibility from successor lists instead of the cached counts.
 */
final class OpSet {
  final List<ActorId> actors = new ArrayList<>();
  private final Map<ActorId, Integer> actorIndex = new HashMap<>();
  /** rank[actor index] = position of the actor in byte order. */
  private int[] rank = new int[0];

  final OpTable ops = new OpTable();
  private final OpIndex rowById = new OpIndex();
  final List<ObjState> objs = new ArrayList<>();
  private final LongIntMap objById = new LongIntMap(16);
  long maxOp;

  OpSet() {
    ObjState root = new ObjState(0, 0, ObjType.MAP, -1, ops);
    objs.add(root);
    objById.put(0, 0);
  }

  /**
   * An independent copy: every op, object, index and link as in this op set, sharing only the
   * immutable values (actor ids, keys, scalar values). O(size), with no decoding.
   */
  OpSet copy() {
    OpSet c = new OpSet();
    c.actors.addAll(actors);
    c.actorIndex.putAll(actorIndex);
    c.rank = rank.clone();
    c.ops.copyFrom(ops);
    c.rowById.copyFrom(rowById);
    c.objs.clear();
    for (ObjState o : objs) {
      c.objs.add(o.copy(c.ops));
    }
    c.objById.copyFrom(objById);
    c.maxOp = maxOp;
    return c;
  }

  ObjState root() {
    return objs.get(0);
  }

  // ---- actors and ids ----

  int actorIndex(ActorId actor) {
    Integer i = actorIndex.get(actor);
    if (i != null) {
      return i;
    }
    if (actors.size() >= OpIds.MAX_ACTORS - 1) {
      throw new InvalidChangeException("too many actors in one document (" + actors.size() + ")");
    }
    int idx = actors.size();
    actors.add(actor);
    actorIndex.put(actor, idx);
    Integer[] order = new Integer[actors.size()];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> actors.get(a).compareTo(actors.get(b)));
    rank = new int[order.length];
    for (int k = 0; k < order.length; k++) {
      rank[order[k]] = k;
    }
    return idx;
  }

  /** The index of {@code actor}, or -1 if the document has never seen it. */
  int knownActor(ActorId actor) {
    Integer i = actorIndex.get(actor);
    return i == null ? -1 : i;
  }

  /** The position of actor {@code a} among the document's actors in byte order. */
  int rank(int a) {
    return rank[a];
  }

  int cmp(long a, long b) {
    long ca = OpIds.counter(a);
    long cb = OpIds.counter(b);
    if (ca != cb) {
      return ca < cb ? -1 : 1;
    }
    return Integer.compare(rank[OpIds.actor(a)], rank[OpIds.actor(b)]);
  }

  int row(long opId) {
    return rowById.get(opId);
  }

  @Nullable ObjState obj(long id) {
    int i = objById.get(id);
    return i < 0 ? null : objs.get(i);
  }

  ObjId objId(ObjState o) {
    return o.id == 0 ? ObjId.ROOT : ObjId.of(OpIds.counter(o.id), actors.get(OpIds.actor(o.id)));
  }

  /** The packed id of a public object id, or -1 if this document does not know it. */
  long packObj(ObjId id) {
    if (id.isRoot()) {
      return 0;
    }
    int a = knownActor(id.actor().orElseThrow());
    if (a < 0 || id.counter() > OpIds.MAX_COUNTER) {
      return -1;
    }
    return OpIds.pack(id.counter(), a);
  }

  // ---- applying ops ----

  /**
   * Adds one op and updates visibility. The caller has resolved actors; {@code preds} are packed
   * ids. Returns the new row.
   */
  /** {@link #cmp}, made once for the sequence trees' inserts. */
  private final SeqTree.IdOrder idOrder = this::cmp;

  /** No rows (the preds of an insert), shared: nothing writes to an empty array. */
  static final int[] NO_ROWS = {};

  int apply(long id, ObjState obj, String key, long elem, int action, boolean insert, ScalarValue value,
      String markName, boolean expand, long[] preds) {
    if (obj.type.isSequence() == (key != null)) {
      throw new InvalidChangeException("operation " + idString(id) + (key != null ? " uses a map key in a sequence" : " uses a list element in a map"));
    }
    int[] predRows = preds.length == 0 ? NO_ROWS : new int[preds.length];
    for (int i = 0; i < preds.length; i++) {
      int p = rowById.get(preds[i]);
      if (p < 0 || ops.obj(p) != obj.index) {
        throw new InvalidChangeException("operation " + idString(id) + " names a predecessor " + idString(preds[i]) + " that is not in its object");
      }
      predRows[i] = p;
    }
    int insertRow = -1;
    if (key == null && !insert) {
      insertRow = rowById.get(elem);
      if (insertRow < 0 || ops.obj(insertRow) != obj.index || !ops.isInsert(insertRow)) {
        throw new InvalidChangeException("operation " + idString(id) + " targets a missing element " + idString(elem));
      }
    }
    int refRow = -1;
    if (insert) {
      if (key != null) {
        throw new InvalidChangeException("operation " + idString(id) + " inserts into a map");
      }
      if (elem != OpIds.HEAD) {
        refRow = rowById.get(elem);
        if (refRow < 0 || ops.obj(refRow) != obj.index || !ops.isInsert(refRow)) {
          throw new InvalidChangeException("operation " + idString(id) + " inserts after a missing element " + idString(elem));
        }
      }
    }
    if (Actions.isMake(action) && objById.get(id) >= 0) {
      throw new InvalidChangeException("object " + idString(id) + " exists already");
    }

    // the last check and the index entry in one probe; nothing has changed if the id is taken
    if (rowById.putIfAbsent(id, ops.size) >= 0) {
      throw new InvalidChangeException("operation " + idString(id) + " exists already");
    }
    int row = ops.add(id, obj.index, key, elem, action, insert, value, markName, expand);
    maxOp = Math.max(maxOp, OpIds.counter(id));
    if (action == Actions.MARK) {
      obj.markOps++;
    }
    if (Actions.isMake(action)) {
      createObject(id, action, row);
    }

    if (key != null) {
      if (action != Actions.DEL) {
        Rows rows = addToKey(obj, key, row);
        if (ops.holdsValue(row)) {
          rows.visible++;
        }
      }
      for (int p : predRows) {
        if (ops.addSucc(p, row) && ops.holdsValue(p)) {
          obj.keys.get(ops.key(p)).visible--;
        }
      }
    } else if (insert) {
      insertElement(obj, refRow, row);
      for (int p : predRows) {
        ops.addSucc(p, row);
      }
    } else {
      if (action != Actions.DEL) {
        linkUpdate(insertRow, row);
      }
      for (int p : predRows) {
        ops.addSucc(p, row);
      }
      refreshElement(obj, insertRow);
    }
    // a pred in a sequence may belong to another element only in malformed input; refresh those too
    if (key == null) {
      for (int p : predRows) {
        int el = ops.isInsert(p) ? p : rowById.get(ops.elem(p));
        if (el != insertRow && el >= 0) {
          refreshElement(obj, el);
        }
      }
    }
    return row;
  }

  /**
   * Tells the op index each actor's lowest and highest counter among the ops and the successors
   * (the deletes they re-create) of {@code d}, and how many there are: the rows come in document
   * order, not by counter.
   */
  private void declareCounters(DocumentChunk.DocOps d, int[] actorMap) {
    int actors = 0;
    for (int a : actorMap) {
      actors = Math.max(actors, a + 1);
    }
    long[] min = new long[actors];
    long[] max = new long[actors];
    int[] count = new int[actors];
    Arrays.fill(min, Long.MAX_VALUE);
    for (int r = 0; r < d.rows; r++) {
      count(d.idCtr[r], actorMap[d.idActor[r]], min, max, count);
    }
    for (int k = 0; k < d.succStart[d.rows]; k++) {
      count(d.succCtr[k], actorMap[d.succActor[k]], min, max, count);
    }
    for (int a = 0; a < actors; a++) {
      if (count[a] > 0) {
        rowById.declare(a, min[a], max[a], count[a]);
      }
    }
  }

  private static void count(long counter, int actor, long[] min, long[] max, int[] count) {
    min[actor] = Math.min(min[actor], counter);
    max[actor] = Math.max(max[actor], counter);
    count[actor]++;
  }

  /**
   * Builds the op set from a document chunk's op rows, which are already in document order (map
   * keys sorted, sequence elements in list order with their updates after them): no RGA search, no
   * per-op change objects. Deletes, which documents do not store, become rows again from the
   * successor lists. Only for an empty op set; rejects rows that do not fit together.
   *
   * @param actorMap the document's actor index to this op set's
   */
  void loadRows(DocumentChunk.DocOps d, int[] actorMap) {
    if (ops.size != 0) {
      throw new IllegalStateException("loadRows needs an empty op set");
    }
    int n = d.rows;
    declareCounters(d, actorMap);
    IntList[] elems = new IntList[0];
    for (int r = 0; r < n; r++) {
      long id = OpIds.pack(d.idCtr[r], actorMap[d.idActor[r]]);
      long objId = d.objActor[r] < 0 ? 0 : OpIds.pack(d.objCtr[r], actorMap[d.objActor[r]]);
      ObjState obj = obj(objId);
      if (obj == null) {
        throw new InvalidChangeException("document op " + idString(id) + " names object " + idString(objId) + " before it is created");
      }
      if (rowById.get(id) >= 0) {
        throw new InvalidChangeException("document op " + idString(id) + " appears twice");
      }
      String key = d.keyStr[r];
      if (obj.type.isSequence() == (key != null)) {
        throw new InvalidChangeException("document op " + idString(id) + (key != null ? " uses a map key in a sequence" : " uses a list element in a map"));
      }
      long elem = key != null || d.keyActor[r] < 0 ? OpIds.HEAD : OpIds.pack(d.keyCtr[r], actorMap[d.keyActor[r]]);
      int action = d.action[r];
      if (action == Actions.DEL) {
        throw new InvalidChangeException("document op " + idString(id) + " is a delete, which documents do not store");
      }
      int insertRow = -1;
      if (key == null && !d.insert[r]) {
        insertRow = rowById.get(elem);
        if (insertRow < 0 || ops.obj(insertRow) != obj.index || !ops.isInsert(insertRow)) {
          throw new InvalidChangeException("document op " + idString(id) + " updates an element " + idString(elem) + " not stored before it");
        }
      }
      if (key != null && d.insert[r]) {
        throw new InvalidChangeException("document op " + idString(id) + " inserts into a map");
      }
      int row = ops.add(id, obj.index, key, elem, action, d.insert[r], TextChars.intern(d.value[r]), d.markName[r], d.expand[r]);
      if (action == Actions.MARK) {
        obj.markOps++;
      }
      rowById.put(id, row);
      maxOp = Math.max(maxOp, OpIds.counter(id));
      if (Actions.isMake(action)) {
        createObject(id, action, row);
      }
      if (key != null) {
        addToKey(obj, key, row);
      } else if (d.insert[r]) {
        if (obj.index >= elems.length) {
          elems = java.util.Arrays.copyOf(elems, Math.max(obj.index + 1, elems.length * 2));
        }
        if (elems[obj.index] == null) {
          elems[obj.index] = new IntList();
        }
        elems[obj.index].add(row);
      } else {
        linkUpdate(insertRow, row);
      }
    }
    // a mark's end op (begin id + 1) must not come before its begin in document order
    for (int r = 0; r < n; r++) {
      if (ops.action(r) == Actions.MARK && ops.markName(r) == null && OpIds.counter(ops.id(r)) > 1) {
        int b = rowById.get(ops.id(r) - OpIds.pack(1, 0));
        if (b > r && ops.action(b) == Actions.MARK && ops.markName(b) != null) {
          throw new InvalidChangeException("document op " + idString(ops.id(r)) + " ends a mark before its begin (invalid mark operation order)");
        }
      }
    }
    // successors, re-creating the deletes they name
    for (int r = 0; r < n; r++) {
      int row = r; // rows were added in order, one per document op
      for (int k = d.succStart[r]; k < d.succStart[r + 1]; k++) {
        long sid = OpIds.pack(d.succCtr[k], actorMap[d.succActor[k]]);
        int s = rowById.get(sid);
        if (s < 0) {
          long elem = ops.key(row) != null ? OpIds.HEAD : ops.isInsert(row) ? ops.id(row) : ops.elem(row);
          s = ops.add(sid, ops.obj(row), ops.key(row), elem, Actions.DEL, false, ScalarValue.NULL, null, false);
          rowById.put(sid, s);
          maxOp = Math.max(maxOp, OpIds.counter(sid));
        } else if (ops.obj(s) != ops.obj(row)) {
          throw new InvalidChangeException("document op " + idString(ops.id(row)) + " has a successor in another object");
        }
        ops.addSucc(row, s);
      }
    }
    for (ObjState o : objs) {
      if (o.keys != null) {
        for (Rows rows : o.keys.values()) {
          for (int i = 0; i < rows.n; i++) {
            if (ops.visible(rows.get(i))) {
              rows.visible++;
            }
          }
        }
      }
      if (o.seq != null && o.index < elems.length && elems[o.index] != null) {
        IntList el = elems[o.index];
        for (int i = 0; i < el.size(); i++) {
          computeWinner(o, el.get(i));
        }
        o.seq.build(el.array(), el.size());
      }
    }
  }

  /** Registers the object that the make op in {@code row} creates. */
  private void createObject(long id, int action, int row) {
    ObjType t = switch (action) {
      case Actions.MAKE_LIST -> ObjType.LIST;
      case Actions.MAKE_TEXT -> ObjType.TEXT;
      case Actions.MAKE_TABLE -> ObjType.TABLE;
      default -> ObjType.MAP;
    };
    objById.put(id, objs.size());
    objs.add(new ObjState(objs.size(), id, t, row, ops));
  }

  /** Adds {@code row} to the rows of {@code key}, keeping them sorted by op id; returns the rows. */
  private Rows addToKey(ObjState obj, String key, int row) {
    Rows rows = obj.keys.get(key);
    if (rows == null) {
      rows = new Rows(row);
      obj.keys.put(key, rows);
      return rows;
    }
    long id = ops.id(row);
    int i = rows.n;
    while (i > 0 && cmp(ops.id(rows.get(i - 1)), id) > 0) {
      i--;
    }
    rows.insert(i, row);
    return rows;
  }

  private void linkUpdate(int insertRow, int row) {
    long id = ops.id(row);
    int prev = OpTable.NONE;
    int cur = ops.updHead(insertRow);
    while (cur != OpTable.NONE && cmp(ops.id(cur), id) < 0) {
      prev = cur;
      cur = ops.updNext(cur);
    }
    ops.updNext(row, cur);
    if (prev == OpTable.NONE) {
      ops.updHead(insertRow, row);
    } else {
      ops.updNext(prev, row);
    }
  }

  private void insertElement(ObjState obj, int refRow, int row) {
    computeWinner(obj, row);
    obj.seq.insertAfter(refRow, row, idOrder);
  }

  /** Recomputes the winner and width of the element whose insert row is {@code el} and fixes the tree sums. */
  void refreshElement(ObjState obj, int el) {
    int oldCount = ops.winner(el) == OpTable.NONE ? 0 : 1;
    int oldWidth = oldCount == 0 ? 0 : ops.elemWidth(el);
    computeWinner(obj, el);
    int newCount = ops.winner(el) == OpTable.NONE ? 0 : 1;
    int newWidth = newCount == 0 ? 0 : ops.elemWidth(el);
    if (oldCount != newCount || oldWidth != newWidth) {
      obj.seq.adjust(el, newCount - oldCount, newWidth - oldWidth);
    }
  }

  private void computeWinner(ObjState obj, int el) {
    int w = OpTable.NONE;
    if (ops.action(el) != Actions.MARK) {
      if (ops.visible(el)) {
        w = el;
      }
      for (int u = ops.updHead(el); u != OpTable.NONE; u = ops.updNext(u)) {
        if (ops.visible(u)) {
          w = u;
        }
      }
    }
    ops.winner(el, w);
    ops.elemWidth(el, w == OpTable.NONE ? 0 : widthOf(obj, w));
  }

  static int utf16Width(ScalarValue v) {
    return v instanceof ScalarValue.Str s ? s.value().length() : 1;
  }

  private int widthOf(ObjState obj, int row) {
    return obj.type == ObjType.TEXT ? utf16Width(ops.value(row)) : 1;
  }

  // ---- visibility and values ----

  boolean inClock(int row, @Nullable Clock clock) {
    return clock == null || clock.covers(ops.id(row));
  }

  boolean visibleAt(int row, @Nullable Clock clock) {
    if (clock == null) {
      return ops.visible(row);
    }
    if (!ops.holdsValue(row) || !clock.covers(ops.id(row))) {
      return false;
    }
    for (int s = ops.firstSucc(row); s != OpTable.NONE; s = ops.nextSucc(s)) {
      int succ = ops.succOpAt(s);
      if (clock.covers(ops.id(succ)) && ops.hides(row, succ)) {
        return false;
      }
    }
    return true;
  }

  /** The value a visible row shows: a counter with its increments summed, a scalar, or an object. */
  Value valueOf(int row, @Nullable Clock clock) {
    int a = ops.action(row);
    if (Actions.isMake(a)) {
      ObjState o = obj(ops.id(row));
      return new Value.Obj(o.type, objId(o));
    }
    ScalarValue v = ops.value(row);
    if (v instanceof ScalarValue.Counter c) {
      long sum = c.value();
      for (int s = ops.firstSucc(row); s != OpTable.NONE; s = ops.nextSucc(s)) {
        int succ = ops.succOpAt(s);
        if (ops.action(succ) == Actions.INC && inClock(succ, clock)) {
          sum += incValue(ops.value(succ));
        }
      }
      return new ScalarValue.Counter(sum);
    }
    return v;
  }

  static long incValue(ScalarValue v) {
    return switch (v) {
      case ScalarValue.Int i -> i.value();
      case ScalarValue.Uint u -> u.value();
      default -> 0;
    };
  }

  /** The rows visible at {@code key} of a map, ascending by op id. */
  int[] visibleAtKey(ObjState obj, String key, @Nullable Clock clock) {
    Rows rows = obj.keys.get(key);
    if (rows == null) {
      return new int[0];
    }
    if (clock == null) {
      // the current values: from the newest back, until all the visible ones are found
      int[] out = new int[rows.visible];
      int n = out.length;
      for (int i = rows.n - 1; i >= 0 && n > 0; i--) {
        int r = rows.get(i);
        if (ops.visible(r)) {
          out[--n] = r;
        }
      }
      return out;
    }
    int[] out = new int[rows.n];
    int n = 0;
    for (int i = 0; i < rows.n; i++) {
      int r = rows.get(i);
      if (visibleAt(r, clock)) {
        out[n++] = r;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The rows visible for the element with insert row {@code el}, ascending by op id. */
  int[] visibleOfElement(int el, @Nullable Clock clock) {
    if (ops.action(el) == Actions.MARK) {
      return new int[0];
    }
    int n = 0;
    int[] out = new int[4];
    if (visibleAt(el, clock)) {
      out[n++] = el;
    }
    for (int u = ops.updHead(el); u != OpTable.NONE; u = ops.updNext(u)) {
      if (visibleAt(u, clock)) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = u;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The winning row of element {@code el} at {@code clock}, or NONE. */
  int winnerAt(int el, @Nullable Clock clock) {
    if (clock == null) {
      return ops.winner(el);
    }
    if (ops.action(el) == Actions.MARK) {
      return OpTable.NONE;
    }
    int w = visibleAt(el, clock) ? el : OpTable.NONE;
    for (int u = ops.updHead(el); u != OpTable.NONE; u = ops.updNext(u)) {
      if (visibleAt(u, clock)) {
        w = u;
      }
    }
    return w;
  }

  int widthAt(ObjState obj, int el, @Nullable Clock clock) {
    int w = winnerAt(el, clock);
    return w == OpTable.NONE ? 0 : widthOf(obj, w);
  }

  String idString(long id) {
    if (id == 0) {
      return "_head";
    }
    int a = OpIds.actor(id);
    return OpIds.counter(id) + "@" + (a < actors.size() ? actors.get(a).hex() : "?");
  }
}

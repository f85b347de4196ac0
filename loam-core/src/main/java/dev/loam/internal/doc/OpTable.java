package dev.loam.internal.doc;

import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;
import java.util.Arrays;

/**
 * Every operation of a document as rows of parallel primitive arrays, so that a document of a
 * million characters costs a few arrays rather than a million objects.
 *
 * <p>Implementation notes: a row is addressed by an {@code int}. A pred/succ relation is one edge
 * in a shared pool, linked into two singly linked lists: the successors of the older op ({@code
 * succHead}, {@code succNext}, {@code succOp}) and the predecessors of the newer one ({@code
 * predHead}, {@code predNext}, {@code predOp}), so a change can be re-encoded from the table
 * without keeping its bytes. The non-insert ops that target a sequence element form a list sorted
 * by op id from the element's insert row ({@code updHead}, {@code updNext}). The {@code HIDDEN}
 * flag says some successor hides the row (any successor except an increment of a counter), so
 * current visibility is O(1). Arrays grow by half, not double: a replayed document keeps its
 * capacity.
 */
final class OpTable {
  static final int NONE = -1;
  private static final byte INSERT = 1;
  private static final byte EXPAND = 2;
  private static final byte HIDDEN = 4;

  int size;
  long[] id;
  int[] obj;
  /** Map key (interned) for map ops; NONE for sequence ops. */
  String[] key;
  /** Packed element id for sequence ops (HEAD = 0). */
  long[] elem;
  byte[] action;
  byte[] flags;
  ScalarValue[] value;
  String[] markName;
  int[] succHead;
  int[] predHead;
  int[] updHead;
  int[] updNext;
  /** For insert rows: the current winning row of the element, or NONE when it is invisible. */
  int[] winner;
  /** For insert rows: the UTF-16 width of the element when visible (1 in lists). */
  int[] elemWidth;
  /** For insert rows: the leaf of the sequence tree holding the element. */
  SeqTree.Leaf[] leaf;

  private int edgeCount;
  private int[] succNext;
  private int[] succOp;
  private int[] predNext;
  private int[] predOp;

  OpTable(int capacity) {
    int c = Math.max(16, capacity);
    id = new long[c];
    obj = new int[c];
    key = new String[c];
    elem = new long[c];
    action = new byte[c];
    flags = new byte[c];
    value = new ScalarValue[c];
    markName = new String[c];
    succHead = new int[c];
    predHead = new int[c];
    updHead = new int[c];
    updNext = new int[c];
    winner = new int[c];
    elemWidth = new int[c];
    leaf = new SeqTree.Leaf[c];
    succNext = new int[c];
    succOp = new int[c];
    predNext = new int[c];
    predOp = new int[c];
  }

  int add(long opId, int objIdx, String mapKey, long elemId, int act, boolean insert, ScalarValue v, String mark, boolean expand) {
    if (size == id.length) {
      grow(size + (size >> 1));
    }
    int r = size++;
    id[r] = opId;
    obj[r] = objIdx;
    key[r] = mapKey;
    elem[r] = elemId;
    action[r] = (byte) act;
    flags[r] = (byte) ((insert ? INSERT : 0) | (expand ? EXPAND : 0));
    value[r] = v;
    markName[r] = mark;
    succHead[r] = NONE;
    predHead[r] = NONE;
    updHead[r] = NONE;
    updNext[r] = NONE;
    winner[r] = NONE;
    elemWidth[r] = 0;
    leaf[r] = null;
    return r;
  }

  boolean isInsert(int r) {
    return (flags[r] & INSERT) != 0;
  }

  boolean expand(int r) {
    return (flags[r] & EXPAND) != 0;
  }

  boolean isCounter(int r) {
    return action[r] == Actions.SET && value[r] instanceof ScalarValue.Counter;
  }

  /** Whether the row is an op that holds a value (set, make, mark), as opposed to del and inc. */
  boolean holdsValue(int r) {
    int a = action[r];
    return a != Actions.DEL && a != Actions.INC;
  }

  /** Whether some successor hides the row. */
  boolean hidden(int r) {
    return (flags[r] & HIDDEN) != 0;
  }

  boolean visible(int r) {
    return (flags[r] & HIDDEN) == 0 && holdsValue(r);
  }

  /** Records {@code s} as a successor of {@code r}; returns whether {@code r} became hidden by it. */
  boolean addSucc(int r, int s) {
    if (edgeCount == succOp.length) {
      int c = edgeCount + (edgeCount >> 1) + 16;
      succOp = Arrays.copyOf(succOp, c);
      succNext = Arrays.copyOf(succNext, c);
      predOp = Arrays.copyOf(predOp, c);
      predNext = Arrays.copyOf(predNext, c);
    }
    int edge = edgeCount++;
    succOp[edge] = s;
    succNext[edge] = succHead[r];
    succHead[r] = edge;
    predOp[edge] = r;
    predNext[edge] = predHead[s];
    predHead[s] = edge;
    if (hides(r, s) && (flags[r] & HIDDEN) == 0) {
      flags[r] |= HIDDEN;
      return true;
    }
    return false;
  }

  /** Whether successor {@code s} hides {@code r}: everything but an increment of a counter does. */
  boolean hides(int r, int s) {
    return !(action[s] == Actions.INC && isCounter(r));
  }

  int firstSucc(int r) {
    return succHead[r];
  }

  int nextSucc(int node) {
    return succNext[node];
  }

  int succOpAt(int node) {
    return succOp[node];
  }

  int firstPred(int r) {
    return predHead[r];
  }

  int nextPred(int edge) {
    return predNext[edge];
  }

  int predOpAt(int edge) {
    return predOp[edge];
  }

  int succCount(int r) {
    int n = 0;
    for (int s = succHead[r]; s != NONE; s = succNext[s]) {
      n++;
    }
    return n;
  }

  private void grow(int c) {
    id = Arrays.copyOf(id, c);
    obj = Arrays.copyOf(obj, c);
    key = Arrays.copyOf(key, c);
    elem = Arrays.copyOf(elem, c);
    action = Arrays.copyOf(action, c);
    flags = Arrays.copyOf(flags, c);
    value = Arrays.copyOf(value, c);
    markName = Arrays.copyOf(markName, c);
    succHead = Arrays.copyOf(succHead, c);
    predHead = Arrays.copyOf(predHead, c);
    updHead = Arrays.copyOf(updHead, c);
    updNext = Arrays.copyOf(updNext, c);
    winner = Arrays.copyOf(winner, c);
    elemWidth = Arrays.copyOf(elemWidth, c);
    leaf = Arrays.copyOf(leaf, c);
  }
}

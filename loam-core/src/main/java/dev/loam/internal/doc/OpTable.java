package dev.loam.internal.doc;

import dev.loam.ScalarValue;
import dev.loam.internal.change.Actions;

/**
 * Every operation of a document as rows of parallel primitive arrays, so that a document of a
 * million characters costs a few arrays rather than a million objects.
 *
 * <p>Implementation notes: a row is addressed by an {@code int}. A pred/succ relation is one edge,
 * linked into two singly linked lists: the successors of the older op ({@code succHead}, {@code
 * succNext}, {@code succOp}) and the predecessors of the newer one ({@code predHead}, {@code
 * predNext}, {@code predOp}), so a change can be re-encoded from the table without keeping its
 * bytes. An edge alone in both lists (a text character and the op deleting it) sits in the two
 * heads, each naming the other end (below {@link #NONE}); a second edge at either end moves it
 * into the shared pool. The non-insert ops that target a sequence element form a list sorted
 * by op id from the element's insert row ({@code updHead}, {@code updNext}). The {@code HIDDEN}
 * flag says some successor hides the row (any successor except an increment of a counter), so
 * current visibility is O(1). Columns are {@link Paged}: a large document wastes no heap on
 * slack or humongous regions. Columns that are null for nearly every row (map keys in a text, mark
 * names) are {@link Paged.SparseRefs}, an element's width sits in two flag bits unless it is
 * wider than 2, and an element that is its own winner (or has none) says so in a flag bit, so a text
 * character costs no key, mark, width or winner slot.
 */
final class OpTable {
  static final int NONE = -1;
  private static final byte INSERT = 1;
  private static final byte EXPAND = 2;
  private static final byte HIDDEN = 4;
  /** Flag bits holding an element's width 0, 1 or 2; {@link #WIDE} there means see {@code wideWidth}. */
  private static final int WIDTH_SHIFT = 3;
  private static final int WIDTH_BITS = 3 << WIDTH_SHIFT;
  private static final int WIDE = 3;
  /** Flag of an insert row whose element's winner is the row itself (a visible, never updated element). */
  private static final int WIN_SELF = 1 << 5;
  /** Flag of an insert row whose element's winner is another row, kept in {@code winner}. */
  private static final int WIN_OTHER = 1 << 6;
  /** Flag of a row with predecessors: {@code head} holds its pred list, {@code succOfPredded} its succ list. */
  private static final int PREDS = 1 << 7;

  int size;
  private final Paged.LinearLongs id = new Paged.LinearLongs();
  private final Paged.UniformInts obj = new Paged.UniformInts();
  /** Map key (interned) for map ops; null for sequence ops (sparse: a text document has none). */
  private final Paged.SparseRefs<String> key = new Paged.SparseRefs<>();
  /** Packed element id for sequence ops (HEAD = 0). */
  private final Paged.Ids elem = new Paged.Ids();
  private final Paged.Bytes action = new Paged.Bytes();
  private final Paged.Bytes flags = new Paged.Bytes();
  private final Paged.Refs<ScalarValue> value = new Paged.Refs<>();
  /** Mark name for mark ops; null otherwise (sparse: marks are rare). */
  private final Paged.SparseRefs<String> markName = new Paged.SparseRefs<>();
  /**
   * The head of a row's pred list if it has one (flag {@link #PREDS}), else of its succ list. Most
   * rows have one of the two at most (a character and the op deleting it), so one column holds
   * both, and the succ lists of rows with both sit in the sparse {@code succOfPredded}.
   */
  private final Paged.Ints head = new Paged.Ints();
  private final Paged.SparseInts succOfPredded = new Paged.SparseInts();
  private final Paged.UniformInts updHead = new Paged.UniformInts();
  private final Paged.UniformInts updNext = new Paged.UniformInts();
  /**
   * For insert rows flagged {@link #WIN_OTHER}: the current winning row of the element. An element
   * that is its own winner or invisible says so in its flags, so a text's pages keep no array here.
   */
  private final Paged.UniformInts winner = new Paged.UniformInts();
  /**
   * For insert rows whose element is wider than 2 UTF-16 units when visible: the width. Narrower
   * widths (every list element, nearly every text character) sit in the row's flag bits.
   */
  private final Paged.SparseRefs<Integer> wideWidth = new Paged.SparseRefs<>();
  /** For insert rows: the leaf of the sequence tree holding the element. */
  private final Paged.Refs<SeqTree.Leaf> leaf = new Paged.Refs<>();

  private int edgeCount;
  private final Paged.Ints succNext = new Paged.Ints();
  private final Paged.Ints succOp = new Paged.Ints();
  private final Paged.Ints predNext = new Paged.Ints();
  private final Paged.Ints predOp = new Paged.Ints();

  long id(int r) { return id.get(r); }
  int obj(int r) { return obj.get(r); }
  String key(int r) { return key.get(r); }
  long elem(int r) { return elem.get(r); }
  int action(int r) { return action.get(r); }
  ScalarValue value(int r) { return value.get(r); }
  String markName(int r) { return markName.get(r); }
  int updHead(int r) { return updHead.get(r); }
  int updNext(int r) { return updNext.get(r); }
  /** For insert rows: the current winning row of the element, or NONE when it is invisible. */
  int winner(int r) {
    int f = flags.get(r);
    return (f & WIN_SELF) != 0 ? r : (f & WIN_OTHER) != 0 ? winner.get(r) : NONE;
  }
  /** For insert rows: the UTF-16 width of the element when visible (1 in lists). */
  int elemWidth(int r) {
    int w = (flags.get(r) & WIDTH_BITS) >>> WIDTH_SHIFT;
    return w == WIDE ? wideWidth.get(r) : w;
  }
  SeqTree.Leaf leaf(int r) { return leaf.get(r); }

  void updHead(int r, int v) { updHead.set(r, v); }
  void updNext(int r, int v) { updNext.set(r, v); }
  void winner(int r, int v) {
    int f = flags.get(r) & ~(WIN_SELF | WIN_OTHER);
    if (v == r) {
      f |= WIN_SELF;
    } else if (v != NONE) {
      f |= WIN_OTHER;
      winner.set(r, v);
    }
    flags.set(r, (byte) f);
  }
  void elemWidth(int r, int v) {
    int code = v < WIDE ? v : WIDE;
    flags.set(r, (byte) ((flags.get(r) & ~WIDTH_BITS) | (code << WIDTH_SHIFT)));
    wideWidth.set(r, code == WIDE ? Integer.valueOf(v) : null);
  }
  void leaf(int r, SeqTree.Leaf v) { leaf.set(r, v); }

  int add(long opId, int objIdx, String mapKey, long elemId, int act, boolean insert, ScalarValue v, String mark, boolean expand) {
    int r = size++;
    ensure(size);
    id.set(r, opId);
    obj.set(r, objIdx);
    key.set(r, mapKey);
    elem.set(r, elemId);
    action.set(r, (byte) act);
    flags.set(r, (byte) ((insert ? INSERT : 0) | (expand ? EXPAND : 0)));
    value.set(r, v);
    markName.set(r, mark);
    head.set(r, NONE);
    updHead.set(r, NONE);
    updNext.set(r, NONE);
    leaf.set(r, null);
    return r;
  }

  /**
   * Becomes an independent copy of {@code src}, but for the leaf column: that is left empty, for
   * the copies of the sequence trees to fill ({@link SeqTree#copyFrom}).
   */
  void copyFrom(OpTable src) {
    size = src.size;
    id.copyFrom(src.id);
    obj.copyFrom(src.obj);
    key.copyFrom(src.key);
    elem.copyFrom(src.elem);
    action.copyFrom(src.action);
    flags.copyFrom(src.flags);
    value.copyFrom(src.value);
    markName.copyFrom(src.markName);
    head.copyFrom(src.head);
    succOfPredded.copyFrom(src.succOfPredded);
    updHead.copyFrom(src.updHead);
    updNext.copyFrom(src.updNext);
    winner.copyFrom(src.winner);
    wideWidth.copyFrom(src.wideWidth);
    leaf.emptyLike(src.leaf);
    edgeCount = src.edgeCount;
    succNext.copyFrom(src.succNext);
    succOp.copyFrom(src.succOp);
    predNext.copyFrom(src.predNext);
    predOp.copyFrom(src.predOp);
  }

  private void ensure(int n) {
    id.ensure(n);
    obj.ensure(n);
    key.ensure(n);
    elem.ensure(n);
    action.ensure(n);
    flags.ensure(n);
    value.ensure(n);
    markName.ensure(n);
    head.ensure(n);
    succOfPredded.ensure(n);
    updHead.ensure(n);
    updNext.ensure(n);
    winner.ensure(n);
    wideWidth.ensure(n);
    leaf.ensure(n);
  }

  boolean isInsert(int r) {
    return (flags.get(r) & INSERT) != 0;
  }

  boolean expand(int r) {
    return (flags.get(r) & EXPAND) != 0;
  }

  boolean isCounter(int r) {
    return action.get(r) == Actions.SET && value.get(r) instanceof ScalarValue.Counter;
  }

  /** Whether the row is an op that holds a value (set, make, mark), as opposed to del and inc. */
  boolean holdsValue(int r) {
    int a = action.get(r);
    return a != Actions.DEL && a != Actions.INC;
  }

  /** Whether some successor hides the row. */
  boolean hidden(int r) {
    return (flags.get(r) & HIDDEN) != 0;
  }

  boolean visible(int r) {
    return (flags.get(r) & HIDDEN) == 0 && holdsValue(r);
  }

  private int succHead(int r) {
    return (flags.get(r) & PREDS) != 0 ? succOfPredded.get(r) : head.get(r);
  }

  private void succHead(int r, int edge) {
    if ((flags.get(r) & PREDS) != 0) {
      succOfPredded.set(r, edge);
    } else {
      head.set(r, edge);
    }
  }

  private int predHead(int r) {
    return (flags.get(r) & PREDS) != 0 ? head.get(r) : NONE;
  }

  /** Sets the head of {@code r}'s pred list (never back to none), moving its succ list aside first. */
  private void predHead(int r, int edge) {
    byte f = flags.get(r);
    if ((f & PREDS) == 0) {
      succOfPredded.set(r, head.get(r));
      flags.set(r, (byte) (f | PREDS));
    }
    head.set(r, edge);
  }

  /** Records {@code s} as a successor of {@code r}; returns whether {@code r} became hidden by it. */
  boolean addSucc(int r, int s) {
    int sh = succHead(r);
    int ph = predHead(s);
    if (sh == NONE && ph == NONE) {
      succHead(r, lone(s));
      predHead(s, lone(r));
    } else {
      if (sh < NONE) {
        sh = newEdge(r, lone(sh), NONE, NONE); // r's lone successor gets a pooled edge
      }
      if (ph < NONE) {
        ph = newEdge(lone(ph), s, NONE, NONE); // and so does s's lone predecessor
      }
      newEdge(r, s, sh, ph);
    }
    byte f = flags.get(r);
    if (hides(r, s) && (f & HIDDEN) == 0) {
      flags.set(r, (byte) (f | HIDDEN));
      return true;
    }
    return false;
  }

  /**
   * The handle of an edge that is the only one in both of its lists, kept in the two list heads
   * rather than in the pool: the other end's row, encoded below {@link #NONE}. Its own inverse: the
   * handle gives back the row.
   */
  private static int lone(int otherEnd) {
    return -2 - otherEnd;
  }

  /**
   * A pooled edge from {@code r} to {@code s}, put at the head of both lists, before {@code
   * succRest} and {@code predRest}.
   */
  private int newEdge(int r, int s, int succRest, int predRest) {
    int edge = edgeCount++;
    succOp.ensure(edgeCount);
    succNext.ensure(edgeCount);
    predOp.ensure(edgeCount);
    predNext.ensure(edgeCount);
    succOp.set(edge, s);
    succNext.set(edge, succRest);
    succHead(r, edge);
    predOp.set(edge, r);
    predNext.set(edge, predRest);
    predHead(s, edge);
    return edge;
  }

  /** Whether successor {@code s} hides {@code r}: everything but an increment of a counter does. */
  boolean hides(int r, int s) {
    return !(action.get(s) == Actions.INC && isCounter(r));
  }

  int firstSucc(int r) {
    return succHead(r);
  }

  int nextSucc(int edge) {
    return edge < NONE ? NONE : succNext.get(edge);
  }

  int succOpAt(int edge) {
    return edge < NONE ? lone(edge) : succOp.get(edge);
  }

  int firstPred(int r) {
    return predHead(r);
  }

  int nextPred(int edge) {
    return edge < NONE ? NONE : predNext.get(edge);
  }

  int predOpAt(int edge) {
    return edge < NONE ? lone(edge) : predOp.get(edge);
  }
}

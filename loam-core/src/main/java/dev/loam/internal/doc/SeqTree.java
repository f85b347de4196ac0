package dev.loam.internal.doc;

import org.jspecify.annotations.Nullable;

/**
 * The elements of one list or text in document order (tombstones and mark anchors included), as
 * an order-statistic B+tree of insert-op rows.
 *
 * <p>Implementation notes: leaves hold up to {@link #LEAF_CAP} rows and are chained for in-order
 * scans; every node caches three sums over its subtree: all elements ({@code total}), visible
 * elements ({@code count}) and their UTF-16 width ({@code width}). Position → row, row → position
 * (through {@link OpTable#leaf}), index/width → position and inserts are O(log n); a weight change
 * updates the sums on one root path. Element weights live in {@link OpTable} ({@code winner} and
 * the element width), so the tree itself never looks at values.
 */
final class SeqTree {
  static final int LEAF_CAP = 64;
  static final int FAN = 32;

  abstract static class Node {
    @Nullable Inner parent;
    int total;
    int count;
    long width;
  }

  static final class Leaf extends Node {
    final int[] rows = new int[LEAF_CAP];
    int n;
    Leaf next;
  }

  static final class Inner extends Node {
    final Node[] kids = new Node[FAN];
    int n;
  }

  private final OpTable ops;
  private Node root;
  private Leaf first;
  /**
   * The leaf where the last {@link #seekVisible} ended, with the sums of everything before it:
   * kept while changes touch that leaf alone (typing and deleting at one cursor), so that the next
   * seek into it scans the leaf without descending the tree; null once anything else changes.
   */
  private @Nullable Leaf hint;
  private int hintCount;
  private long hintWidth;
  private int hintPos;

  SeqTree(OpTable ops) {
    this.ops = ops;
    Leaf l = new Leaf();
    root = l;
    first = l;
  }

  /**
   * Becomes a copy of {@code src} (this tree is empty and its op table a copy of src's): the same
   * nodes and sums, leaves chained in the same order, and each row's leaf recorded in this tree's
   * op table.
   */
  void copyFrom(SeqTree src) {
    hint = null;
    Leaf[] last = new Leaf[1];
    root = copy(src.root, null, last);
  }

  private Node copy(Node n, @Nullable Inner parent, Leaf[] last) {
    Node c;
    if (n instanceof Leaf l) {
      Leaf cl = new Leaf();
      System.arraycopy(l.rows, 0, cl.rows, 0, l.n);
      cl.n = l.n;
      for (int i = 0; i < l.n; i++) {
        ops.leaf(l.rows[i], cl);
      }
      if (last[0] == null) {
        first = cl;
      } else {
        last[0].next = cl;
      }
      last[0] = cl;
      c = cl;
    } else {
      Inner in = (Inner) n;
      Inner ci = new Inner();
      for (int i = 0; i < in.n; i++) {
        ci.kids[i] = copy(in.kids[i], ci, last);
      }
      ci.n = in.n;
      c = ci;
    }
    c.parent = parent;
    c.total = n.total;
    c.count = n.count;
    c.width = n.width;
    return c;
  }

  /** Rows per leaf and children per inner node of a tree built by {@link #build}: room left for inserts. */
  static final int BUILD_LEAF = LEAF_CAP * 3 / 4;

  static final int BUILD_FAN = FAN * 3 / 4;

  /**
   * Becomes the tree of {@code rows[0 .. n)} in this order (this tree is empty; each row's winner
   * is set): leaves filled to {@link #BUILD_LEAF} and inner nodes to {@link #BUILD_FAN}, built
   * bottom up in O(n), where inserting one row at a time would descend the tree for each and
   * leave every leaf half full.
   */
  void build(int[] rows, int n) {
    if (root.total != 0) {
      throw new IllegalStateException("build needs an empty tree");
    }
    hint = null;
    if (n == 0) {
      return;
    }
    int leaves = (n + BUILD_LEAF - 1) / BUILD_LEAF;
    Node[] level = new Node[leaves];
    Leaf prev = null;
    int at = 0;
    for (int i = 0; i < leaves; i++) {
      Leaf l = new Leaf();
      int take = (n - at) / (leaves - i);
      System.arraycopy(rows, at, l.rows, 0, take);
      l.n = take;
      at += take;
      for (int k = 0; k < take; k++) {
        int row = l.rows[k];
        ops.leaf(row, l);
        l.count += countOf(row);
        l.width += widthOf(row);
      }
      l.total = take;
      if (prev == null) {
        first = l;
      } else {
        prev.next = l;
      }
      prev = l;
      level[i] = l;
    }
    int size = leaves;
    while (size > 1) {
      int groups = (size + BUILD_FAN - 1) / BUILD_FAN;
      int from = 0;
      for (int g = 0; g < groups; g++) {
        Inner in = new Inner();
        int take = (size - from) / (groups - g);
        for (int k = 0; k < take; k++) {
          Node kid = level[from + k];
          in.kids[k] = kid;
          kid.parent = in;
          in.total += kid.total;
          in.count += kid.count;
          in.width += kid.width;
        }
        in.n = take;
        from += take;
        level[g] = in;
      }
      size = groups;
    }
    root = level[0];
  }

  int total() {
    return root.total;
  }

  int count() {
    return root.count;
  }

  long width() {
    return root.width;
  }

  Leaf firstLeaf() {
    return first;
  }

  /** The visible weight of a row as an element: 1 if visible. */
  private int countOf(int row) {
    return ops.winner(row) == OpTable.NONE ? 0 : 1;
  }

  private int widthOf(int row) {
    return ops.winner(row) == OpTable.NONE ? 0 : ops.elemWidth(row);
  }

  /** The document's order of op ids (by counter, then by actor bytes). */
  interface IdOrder {
    int cmp(long a, long b);
  }

  /**
   * Inserts {@code row} right after the element of {@code refRow} (at the front when {@code refRow}
   * is negative), and past the elements that follow it there with greater ids in {@code order}
   * (RGA: the elements inserted after the same one later come first). Starts from the reference's
   * leaf, so the tree is walked once, upwards, for the sums.
   */
  void insertAfter(int refRow, int row, IdOrder order) {
    long id = ops.id(row);
    Leaf leaf;
    int p;
    if (refRow < 0) {
      leaf = first;
      p = 0;
    } else {
      leaf = ops.leaf(refRow);
      p = indexIn(leaf, refRow) + 1;
    }
    while (true) {
      if (p < leaf.n) {
        if (order.cmp(ops.id(leaf.rows[p]), id) <= 0) {
          break;
        }
        p++;
      } else {
        // only leaves of an empty tree are empty: a next leaf has a first element
        Leaf next = leaf.next;
        if (next == null || order.cmp(ops.id(next.rows[0]), id) <= 0) {
          break;
        }
        leaf = next;
        p = 1;
      }
    }
    insertIn(leaf, p, row);
  }

  private static int indexIn(Leaf leaf, int row) {
    int p = 0;
    while (leaf.rows[p] != row) {
      p++;
    }
    return p;
  }

  /** Inserts {@code row} at index {@code p} of {@code leaf} (0..n), splitting the leaf if it fills. */
  private void insertIn(Leaf leaf, int p, int row) {
    if (p == leaf.n && p == LEAF_CAP - 1 && leaf.next != null && leaf.next.n < LEAF_CAP - 1) {
      // the same position at the start of the next leaf, which has room: no split
      leaf = leaf.next;
      p = 0;
    }
    if (leaf != hint) {
      hint = null;
    }
    System.arraycopy(leaf.rows, p, leaf.rows, p + 1, leaf.n - p);
    leaf.rows[p] = row;
    leaf.n++;
    ops.leaf(row, leaf);
    int c = countOf(row);
    int w = widthOf(row);
    for (Node x = leaf; x != null; x = x.parent) {
      x.total++;
      x.count += c;
      x.width += w;
    }
    if (leaf.n == LEAF_CAP) {
      hint = null;
      if (p > 0 && typedAfter(leaf.rows[p - 1], row)) {
        int tail = leaf.n - p - 1;
        if (tail > 0 && leaf.next != null && leaf.next.n + tail < LEAF_CAP) {
          moveTail(leaf, p + 1);
        } else {
          splitLeaf(leaf, p + 1);
        }
      } else {
        splitLeaf(leaf, leaf.n / 2);
      }
    }
  }

  /** Adjusts the cached sums after the weight of {@code row} changed by the given deltas. */
  void adjust(int row, int dCount, int dWidth) {
    Leaf leaf = ops.leaf(row);
    if (leaf != hint) {
      hint = null;
    }
    for (Node x = leaf; x != null; x = x.parent) {
      x.count += dCount;
      x.width += dWidth;
    }
  }

  /** The absolute position of {@code row}. */
  int positionOf(int row) {
    Leaf leaf = ops.leaf(row);
    int p = indexIn(leaf, row);
    Node child = leaf;
    for (Inner in = leaf.parent; in != null; child = in, in = in.parent) {
      for (int i = 0; in.kids[i] != child; i++) {
        p += in.kids[i].total;
      }
    }
    return p;
  }

  /** Visible elements before absolute position {@code pos}. */
  int countBefore(int pos) {
    Cursor c = seek(pos);
    int sum = c.countBefore;
    for (int i = 0; i < c.index; i++) {
      sum += countOf(c.leaf.rows[i]);
    }
    return sum;
  }

  /** UTF-16 width of the visible elements before absolute position {@code pos}. */
  long widthBefore(int pos) {
    Cursor c = seek(pos);
    long sum = c.widthBefore;
    for (int i = 0; i < c.index; i++) {
      sum += widthOf(c.leaf.rows[i]);
    }
    return sum;
  }

  /** A position in the tree: a leaf, an index in it, and the sums of everything before the leaf. */
  static final class Cursor {
    Leaf leaf;
    int index;
    int countBefore;
    long widthBefore;
    int posBefore;

    int row() {
      return leaf.rows[index];
    }

    /** Moves to the next element; returns false at the end. */
    boolean advance() {
      index++;
      while (index >= leaf.n) {
        if (leaf.next == null) {
          return false;
        }
        posBefore += leaf.n;
        leaf = leaf.next;
        index = 0;
      }
      return true;
    }

    boolean valid() {
      return index < leaf.n;
    }
  }

  /** A cursor at absolute position {@code pos}; {@code pos == total} gives an invalid cursor past the end. */
  Cursor seek(int pos) {
    Cursor c = new Cursor();
    Node node = root;
    int p = pos;
    while (node instanceof Inner in) {
      int i = 0;
      while (i < in.n - 1 && p >= in.kids[i].total) {
        p -= in.kids[i].total;
        c.countBefore += in.kids[i].count;
        c.widthBefore += in.kids[i].width;
        c.posBefore += in.kids[i].total;
        i++;
      }
      node = in.kids[i];
    }
    c.leaf = (Leaf) node;
    c.index = p;
    return c;
  }

  /** A cursor at the first element, or an invalid one if empty. */
  Cursor begin() {
    Cursor c = new Cursor();
    c.leaf = first;
    c.index = 0;
    while (c.leaf.n == 0 && c.leaf.next != null) {
      c.leaf = c.leaf.next;
    }
    return c;
  }

  /**
   * The cursor at the visible element containing UTF-16 unit {@code unit} (or the {@code unit}-th
   * visible element when {@code byWidth} is false); invalid if past the end.
   */
  Cursor seekVisible(long unit, boolean byWidth) {
    Cursor c = new Cursor();
    Leaf leaf = hint;
    long u;
    long start = byWidth ? hintWidth : hintCount;
    if (leaf != null && unit >= start && unit - start < (byWidth ? leaf.width : leaf.count)) {
      u = unit - start;
      c.countBefore = hintCount;
      c.widthBefore = hintWidth;
      c.posBefore = hintPos;
    } else {
      Node node = root;
      u = unit;
      while (node instanceof Inner in) {
        int i = 0;
        while (i < in.n - 1 && u >= (byWidth ? in.kids[i].width : in.kids[i].count)) {
          u -= byWidth ? in.kids[i].width : in.kids[i].count;
          c.countBefore += in.kids[i].count;
          c.widthBefore += in.kids[i].width;
          c.posBefore += in.kids[i].total;
          i++;
        }
        node = in.kids[i];
      }
      leaf = (Leaf) node;
      hint = leaf;
      hintCount = c.countBefore;
      hintWidth = c.widthBefore;
      hintPos = c.posBefore;
    }
    int i = 0;
    for (; i < leaf.n; i++) {
      int row = leaf.rows[i];
      if (ops.winner(row) == OpTable.NONE) {
        continue; // invisible: no width, no count
      }
      int width = ops.elemWidth(row);
      long w = byWidth ? width : 1;
      if (u < w) {
        break;
      }
      u -= w;
      c.countBefore++;
      c.widthBefore += width;
    }
    c.leaf = leaf;
    c.index = i; // leaf.n when past the end: only possible at the very end of the sequence
    return c;
  }

  /** How many rows back an element's left neighbour may be for an insert to count as typing on. */
  static final int TYPED = 16;

  /**
   * Whether {@code row} continues the typing of the element {@code before} it: its row is at most
   * {@link #TYPED} rows older (the ops in between: a deletion, a few more characters typed and
   * deleted), as when someone types on from where they were.
   */
  private static boolean typedAfter(int before, int row) {
    int gap = row - before;
    return gap > 0 && gap <= TYPED;
  }

  /**
   * Moves rows {@code at ..} of {@code leaf} to the front of the next leaf, which has room for
   * them: what was typed over, pushed on by the cursor (the tombstones of backspaced characters
   * gather right after it), joins the leaf after it instead of a new leaf of its own.
   */
  private void moveTail(Leaf leaf, int at) {
    Leaf next = leaf.next;
    int t = leaf.n - at;
    System.arraycopy(next.rows, 0, next.rows, t, next.n);
    System.arraycopy(leaf.rows, at, next.rows, 0, t);
    next.n += t;
    leaf.n = at;
    int c = 0;
    long w = 0;
    for (int i = 0; i < t; i++) {
      int row = next.rows[i];
      ops.leaf(row, next);
      c += countOf(row);
      w += widthOf(row);
    }
    // both paths up to the root: above the leaves' common ancestor the changes cancel
    for (Node x = leaf; x != null; x = x.parent) {
      x.total -= t;
      x.count -= c;
      x.width -= w;
    }
    for (Node x = next; x != null; x = x.parent) {
      x.total += t;
      x.count += c;
      x.width += w;
    }
  }

  /**
   * Moves rows {@code at ..} of a full leaf (at least the last one) into a new leaf after it. An
   * insert splits its leaf in half, but one that continues the typing of its left neighbour splits
   * it right after itself (the new row alone goes right when it is last; what follows it goes to
   * the next leaf instead when that has room, {@link #moveTail}), so that the next keystrokes fill
   * the cursor's leaf up rather than leaving leaves half empty behind the cursor: a text typed from
   * start to end keeps its leaves full, where halves would take twice the leaf memory per element.
   */
  private void splitLeaf(Leaf leaf, int at) {
    int keep = Math.min(at, leaf.n - 1);
    Leaf right = new Leaf();
    right.n = leaf.n - keep;
    System.arraycopy(leaf.rows, keep, right.rows, 0, right.n);
    leaf.n = keep;
    right.next = leaf.next;
    leaf.next = right;
    for (int i = 0; i < right.n; i++) {
      int row = right.rows[i];
      ops.leaf(row, right);
      right.total++;
      right.count += countOf(row);
      right.width += widthOf(row);
    }
    leaf.total -= right.total;
    leaf.count -= right.count;
    leaf.width -= right.width;
    insertSibling(leaf, right);
  }

  private void insertSibling(Node left, Node right) {
    Inner parent = left.parent;
    if (parent == null) {
      Inner r = new Inner();
      r.kids[0] = left;
      r.kids[1] = right;
      r.n = 2;
      left.parent = r;
      right.parent = r;
      r.total = left.total + right.total;
      r.count = left.count + right.count;
      r.width = left.width + right.width;
      root = r;
      return;
    }
    int i = 0;
    while (parent.kids[i] != left) {
      i++;
    }
    System.arraycopy(parent.kids, i + 1, parent.kids, i + 2, parent.n - i - 1);
    parent.kids[i + 1] = right;
    parent.n++;
    right.parent = parent;
    if (parent.n == FAN) {
      splitInner(parent);
    }
  }

  private void splitInner(Inner node) {
    Inner right = new Inner();
    int half = node.n / 2;
    right.n = node.n - half;
    System.arraycopy(node.kids, half, right.kids, 0, right.n);
    for (int i = half; i < node.n; i++) {
      node.kids[i] = null;
    }
    node.n = half;
    for (int i = 0; i < right.n; i++) {
      Node k = right.kids[i];
      k.parent = right;
      right.total += k.total;
      right.count += k.count;
      right.width += k.width;
    }
    node.total -= right.total;
    node.count -= right.count;
    node.width -= right.width;
    insertSibling(node, right);
  }
}

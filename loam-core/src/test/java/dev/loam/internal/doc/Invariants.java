package dev.loam.internal.doc;

import dev.loam.Document;
import dev.loam.internal.change.Actions;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deep consistency check of an op set, recomputed from first principles rather than from the
 * caches: every sequence tree's cached sums, parent links and leaf back-pointers, the cached
 * visibility counts and element winners of {@link OpTable}, the op-id order of map registers, and
 * the RGA order of every sequence (a pre-order walk of the insert tree, children by descending id).
 */
final class Invariants {
  private Invariants() {}

  static OpSet opSetOf(Document doc) {
    try {
      // Document.core.engine, read without committing anything (the check runs mid-transaction too)
      Field coreField = Document.class.getDeclaredField("core");
      coreField.setAccessible(true);
      Object core = coreField.get(doc);
      Field engineField = core.getClass().getDeclaredField("engine");
      engineField.setAccessible(true);
      return ((DocEngine) engineField.get(core)).opSet();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static void check(Document doc) {
    check(opSetOf(doc));
  }

  static void check(OpSet set) {
    OpTable ops = set.ops;
    for (int r = 0; r < ops.size; r++) {
      int hide = 0;
      for (int s = ops.firstSucc(r); s != OpTable.NONE; s = ops.nextSucc(s)) {
        int succ = ops.succOpAt(s);
        boolean incOfCounter = ops.action(succ) == Actions.INC
            && ops.action(r) == Actions.SET && ops.value(r) instanceof dev.loam.ScalarValue.Counter;
        if (!incOfCounter) {
          hide++;
        }
      }
      require(ops.hidden(r) == (hide > 0), "row " + set.idString(ops.id(r)) + " caches hidden=" + ops.hidden(r) + " but has " + hide + " hiding successors");
      // every successor edge is also a predecessor edge of the successor
      for (int s = ops.firstSucc(r); s != OpTable.NONE; s = ops.nextSucc(s)) {
        int succ = ops.succOpAt(s);
        boolean back = false;
        for (int p = ops.firstPred(succ); p != OpTable.NONE; p = ops.nextPred(p)) {
          back |= ops.predOpAt(p) == r;
        }
        require(back, "row " + set.idString(ops.id(succ)) + " does not list its predecessor " + set.idString(ops.id(r)));
      }
    }
    for (ObjState o : set.objs) {
      if (o.keys != null) {
        for (var e : o.keys.entrySet()) {
          int visible = 0;
          for (int k = 0; k < e.getValue().n; k++) {
            visible += ops.visible(e.getValue().get(k)) ? 1 : 0;
          }
          require(e.getValue().visible == visible, "key " + e.getKey() + " caches " + e.getValue().visible + " visible rows but has " + visible);
        }
      }
    }
    for (ObjState o : set.objs) {
      if (o.seq != null) {
        checkSequence(set, o);
      } else {
        for (Map.Entry<String, Rows> e : o.keys.entrySet()) {
          Rows rows = e.getValue();
          for (int i = 0; i < rows.n; i++) {
            int r = rows.get(i);
            require(ops.obj(r) == o.index && e.getKey().equals(ops.key(r)), "row in the wrong register at key " + e.getKey());
            if (i > 0) {
              require(set.cmp(ops.id(rows.get(i - 1)), ops.id(r)) < 0, "rows at key \"" + e.getKey() + "\" are not in op-id order");
            }
          }
        }
      }
    }
  }

  private static void checkSequence(OpSet set, ObjState o) {
    OpTable ops = set.ops;
    SeqTree tree = o.seq;
    // the rows in leaf-chain order, and the root reached through parent links
    List<Integer> order = new ArrayList<>();
    SeqTree.Node top = tree.firstLeaf();
    while (top.parent != null) {
      top = top.parent;
    }
    List<SeqTree.Leaf> inOrderLeaves = new ArrayList<>();
    Sums rootSums = walk(set, o, top, inOrderLeaves);
    List<SeqTree.Leaf> chained = new ArrayList<>();
    for (SeqTree.Leaf l = tree.firstLeaf(); l != null; l = l.next) {
      chained.add(l);
      for (int i = 0; i < l.n; i++) {
        order.add(l.rows[i]);
      }
    }
    require(chained.equals(inOrderLeaves), "leaf chain differs from the in-order leaves of " + set.objId(o));
    require(rootSums.total == tree.total() && rootSums.count == tree.count() && rootSums.width == tree.width(),
        "root sums of " + set.objId(o) + " differ from the recomputed sums");

    // winners and widths, recomputed
    for (int el : order) {
      require(ops.isInsert(el) && ops.obj(el) == o.index, "non-insert row in the sequence tree of " + set.objId(o));
      int w = OpTable.NONE;
      if (ops.action(el) != Actions.MARK) {
        if (ops.visible(el)) {
          w = el;
        }
        int prev = OpTable.NONE;
        for (int u = ops.updHead(el); u != OpTable.NONE; u = ops.updNext(u)) {
          if (prev != OpTable.NONE) {
            require(set.cmp(ops.id(prev), ops.id(u)) < 0, "updates of an element are not in op-id order");
          }
          prev = u;
          if (ops.visible(u)) {
            w = u;
          }
        }
      }
      require(ops.winner(el) == w, "element " + set.idString(ops.id(el)) + " caches winner "
          + (ops.winner(el) == OpTable.NONE ? "none" : set.idString(ops.id(ops.winner(el)))) + " but the winner is "
          + (w == OpTable.NONE ? "none" : set.idString(ops.id(w))));
      if (w != OpTable.NONE) {
        int width = o.type == dev.loam.ObjType.TEXT ? OpSet.utf16Width(ops.value(w)) : 1;
        require(ops.elemWidth(el) == width, "element " + set.idString(ops.id(el)) + " caches width " + ops.elemWidth(el) + ", not " + width);
      }
    }

    // RGA: the document order is a pre-order walk of the insert tree with children by descending op id
    Map<Long, List<Integer>> children = new HashMap<>();
    for (int el : order) {
      children.computeIfAbsent(ops.elem(el), k -> new ArrayList<>()).add(el);
    }
    for (List<Integer> kids : children.values()) {
      kids.sort((a, b) -> set.cmp(ops.id(b), ops.id(a)));
    }
    List<Integer> expected = new ArrayList<>(order.size());
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    List<Integer> roots = children.getOrDefault(OpIds.HEAD, List.of());
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(roots.get(i));
    }
    while (!stack.isEmpty()) {
      int el = stack.pop();
      expected.add(el);
      List<Integer> kids = children.getOrDefault(ops.id(el), List.of());
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.push(kids.get(i));
      }
    }
    require(expected.equals(order), "the order of " + set.objId(o) + " is not the RGA pre-order of its insert tree");
  }

  private record Sums(int total, int count, long width) {}

  private static Sums walk(OpSet set, ObjState o, SeqTree.Node node, List<SeqTree.Leaf> leaves) {
    OpTable ops = set.ops;
    int total = 0;
    int count = 0;
    long width = 0;
    if (node instanceof SeqTree.Leaf leaf) {
      leaves.add(leaf);
      for (int i = 0; i < leaf.n; i++) {
        int r = leaf.rows[i];
        require(ops.leaf(r) == leaf, "row " + set.idString(ops.id(r)) + " points at the wrong leaf");
        total++;
        if (ops.winner(r) != OpTable.NONE) {
          count++;
          width += ops.elemWidth(r);
        }
      }
    } else {
      SeqTree.Inner in = (SeqTree.Inner) node;
      require(in.n >= 1, "empty inner node");
      for (int i = 0; i < in.n; i++) {
        require(in.kids[i].parent == in, "child's parent link is wrong");
        Sums s = walk(set, o, in.kids[i], leaves);
        total += s.total;
        count += s.count;
        width += s.width;
      }
    }
    require(node.total == total && node.count == count && node.width == width,
        "node of " + set.objId(o) + " caches (" + node.total + "," + node.count + "," + node.width + ") but holds ("
            + total + "," + count + "," + width + ")");
    return new Sums(total, count, width);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError("invariant broken: " + message);
    }
  }
}

package dev.loam.internal.doc;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.PriorityQueue;

/**
 * Walks over a {@link History}'s dependency graph: what the given heads reach, what they do not
 * (what a peer at them lacks), and the clock of the state at them. An entry's dependencies
 * always come before it, which every walk here uses to stop early. Stateless.
 */
final class HistoryWalk {
  private HistoryWalk() {}

  /** The entries reachable from {@code roots} (inclusive). */
  static BitSet ancestors(History h, int[] roots) {
    BitSet seen = new BitSet(h.size());
    int[] stack = new int[Math.max(16, roots.length)];
    int sp = 0;
    for (int r : roots) {
      if (!seen.get(r)) {
        seen.set(r);
        stack[sp++] = r;
      }
    }
    while (sp > 0) {
      int c = stack[--sp];
      for (int k = 0, nd = h.depCount(c); k < nd; k++) {
        int d = h.dep(c, k);
        if (!seen.get(d)) {
          seen.set(d);
          if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
          }
          stack[sp++] = d;
        }
      }
    }
    return seen;
  }

  /**
   * Whether every entry of {@code wanted} is reachable from {@code roots} (inclusive). An entry's
   * dependencies come before it, so no path from a root to a wanted entry passes below the
   * smallest wanted one: the walk stays among the entries from there on, and asking whether a
   * peer's heads include a recent change costs the changes since it, not the history.
   */
  static boolean reaches(History h, int[] roots, int[] wanted) {
    if (wanted.length == 0) {
      return true;
    }
    int low = Arrays.stream(wanted).min().orElseThrow();
    BitSet want = new BitSet();
    for (int w : wanted) {
      want.set(w - low);
    }
    BitSet seen = new BitSet();
    int[] stack = new int[Math.max(16, roots.length)];
    int sp = 0;
    for (int r : roots) {
      if (r >= low && !seen.get(r - low)) {
        seen.set(r - low);
        stack[sp++] = r;
      }
    }
    while (sp > 0) {
      int c = stack[--sp];
      want.clear(c - low);
      if (want.isEmpty()) {
        return true;
      }
      for (int k = 0, nd = h.depCount(c); k < nd; k++) {
        int d = h.dep(c, k);
        if (d >= low && !seen.get(d - low)) {
          seen.set(d - low);
          if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
          }
          stack[sp++] = d;
        }
      }
    }
    return false;
  }

  /**
   * The entries not reachable from {@code have} (inclusive), ascending: what a peer at {@code have}
   * lacks. Walks back from the heads and from {@code have} together, newest entry first (an
   * entry's dependencies come before it), and stops as soon as no entry still to visit could be
   * missing from {@code have}: the cost grows with the changes since {@code have} and the
   * concurrent history around them, not with the document's whole history.
   */
  static int[] notReachableFrom(History h, int[] have) {
    if (have.length == 0) {
      int[] all = new int[h.size()];
      Arrays.setAll(all, i -> i);
      return all;
    }
    // visited entry -> true if reachable from have; the queue holds visited entries not yet expanded
    HashMap<Integer, Boolean> mark = new HashMap<>();
    PriorityQueue<Integer> queue = new PriorityQueue<>(Comparator.reverseOrder());
    int[] candidates = {0}; // queued entries not (yet) known reachable from have
    for (int e : have) {
      if (mark.put(e, Boolean.TRUE) == null) {
        queue.add(e);
      }
    }
    for (int e : h.headIndexes()) {
      if (mark.putIfAbsent(e, Boolean.FALSE) == null) {
        queue.add(e);
        candidates[0]++;
      }
    }
    int[] out = new int[16];
    int n = 0;
    while (candidates[0] > 0) {
      int c = queue.poll();
      boolean reached = mark.get(c);
      if (!reached) {
        candidates[0]--;
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = c;
      }
      for (int k = 0, nd = h.depCount(c); k < nd; k++) {
        int d = h.dep(c, k);
        Boolean was = mark.get(d);
        if (was == null) {
          mark.put(d, reached);
          queue.add(d);
          if (!reached) {
            candidates[0]++;
          }
        } else if (reached && !was) {
          mark.put(d, Boolean.TRUE); // still queued: entries are expanded only once, newest first
          candidates[0]--;
        }
      }
    }
    int[] result = Arrays.copyOf(out, n);
    Arrays.sort(result);
    return result;
  }

  /**
   * The clock of the state at the given entries: per actor the greatest maxOp among their
   * ancestors. An actor's changes are applied in seq order, so its latest ancestor has the highest
   * entry index; while each change's ops also come after its actor's previous ones (as every
   * Automerge writes them), that change has the actor's greatest maxOp. So a scan down from the
   * newest root, marking dependencies as it goes, takes each actor's first ancestor met and stops
   * once every actor is met or can no longer be (the scan is below its first change): the cost is
   * the entries since the least recent actor last wrote, not the history. Otherwise every
   * ancestor is read.
   */
  static Clock clockOf(History h, int[] roots, int actorCount) {
    if (!h.opsRiseWithSeq()) {
      return clockOfEveryAncestor(h, roots, actorCount);
    }
    long[] max = new long[actorCount];
    int[] first = new int[actorCount]; // an unmet actor's first entry; -1 once met or if it wrote nothing
    for (int a = 0; a < actorCount; a++) {
      first[a] = h.firstOf(a);
    }
    int top = Arrays.stream(roots).max().orElse(-1);
    BitSet marked = new BitSet(); // bit top - i: entry i is an ancestor of the roots (or one of them)
    for (int r : roots) {
      marked.set(top - r);
    }
    int stopBelow = earliestUnmet(first); // below it no entry is by an actor not yet met
    for (int c = top; c >= 0 && c >= stopBelow; c--) {
      if (!marked.get(top - c)) {
        continue;
      }
      int a = h.actor(c);
      if (first[a] >= 0) {
        first[a] = -1;
        max[a] = h.maxOp(c);
        stopBelow = earliestUnmet(first);
      }
      for (int k = 0, nd = h.depCount(c); k < nd; k++) {
        marked.set(top - h.dep(c, k));
      }
    }
    return new Clock(max);
  }

  /** The least first entry of the actors not met yet ({@code first[a] >= 0}); past the end when every actor is met. */
  private static int earliestUnmet(int[] first) {
    int least = Integer.MAX_VALUE;
    for (int f : first) {
      if (f >= 0 && f < least) {
        least = f;
      }
    }
    return least;
  }

  private static Clock clockOfEveryAncestor(History h, int[] roots, int actorCount) {
    long[] max = new long[actorCount];
    BitSet set = ancestors(h, roots);
    for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
      long m = h.maxOp(i);
      int a = h.actor(i);
      if (m > max[a]) {
        max[a] = m;
      }
    }
    return new Clock(max);
  }
}

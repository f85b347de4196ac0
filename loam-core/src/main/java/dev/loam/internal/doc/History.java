package dev.loam.internal.doc;

import dev.loam.ChangeHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The change graph: every applied change in application order (dependencies first), indexed by
 * hash and by (actor, seq), with the current heads.
 */
final class History {
  /** One applied change: its metadata and the exact chunk bytes it was applied from. */
  record Entry(ChangeHash hash, int actor, long seq, long startOp, long maxOp, long time, String message,
      int[] deps, int opCount, byte[] chunk, byte[] extraBytes) {}

  final List<Entry> entries = new ArrayList<>();
  /** Entry index by hash code; the rare hash whose code is taken goes to {@link #collisions}. */
  private final LongIntMap byPrefix = new LongIntMap(64);
  private final Map<ChangeHash, Integer> collisions = new HashMap<>();
  /** Per actor index: the entry index of each seq (seq 1 at position 0), and how many there are. */
  private int[][] bySeq = new int[4][];
  private int[] seqCount = new int[4];
  private final TreeSet<ChangeHash> heads = new TreeSet<>();

  int size() {
    return entries.size();
  }

  /** The key of a hash in {@link #byPrefix}: its cached 32-bit hash code (equal codes go to the collision map). */
  private static long prefix(ChangeHash hash) {
    return hash.hashCode() & 0xffff_ffffL;
  }

  int indexOf(ChangeHash hash) {
    int i = byPrefix.get(prefix(hash));
    if (i >= 0 && entries.get(i).hash().equals(hash)) {
      return i;
    }
    if (collisions.isEmpty()) {
      return -1;
    }
    Integer c = collisions.get(hash);
    return c == null ? -1 : c;
  }

  boolean contains(ChangeHash hash) {
    return indexOf(hash) >= 0;
  }

  long lastSeq(int actor) {
    return actor < seqCount.length ? seqCount[actor] : 0;
  }

  /** The entry of the latest change by {@code actor}, or -1. */
  int lastOf(int actor) {
    long s = lastSeq(actor);
    return s == 0 ? -1 : bySeq[actor][(int) s - 1];
  }

  List<ChangeHash> heads() {
    return List.copyOf(heads);
  }

  void add(Entry e) {
    int idx = entries.size();
    entries.add(e);
    long p = prefix(e.hash());
    if (byPrefix.get(p) >= 0) {
      collisions.put(e.hash(), idx);
    } else {
      byPrefix.put(p, idx);
    }
    int a = e.actor();
    if (a >= seqCount.length) {
      int n = Math.max(a + 1, seqCount.length * 2);
      seqCount = Arrays.copyOf(seqCount, n);
      bySeq = Arrays.copyOf(bySeq, n);
    }
    if (bySeq[a] == null) {
      bySeq[a] = new int[4];
    }
    int n = seqCount[a];
    if (n == bySeq[a].length) {
      bySeq[a] = Arrays.copyOf(bySeq[a], n * 2);
    }
    bySeq[a][n] = idx;
    seqCount[a] = n + 1;
    for (int d : e.deps()) {
      heads.remove(entries.get(d).hash());
    }
    heads.add(e.hash());
  }

  /** The entries reachable from {@code roots} (inclusive). */
  BitSet ancestors(int[] roots) {
    BitSet seen = new BitSet(entries.size());
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
      for (int d : entries.get(c).deps()) {
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

  /** The clock of the state at the given entries: per actor the greatest maxOp among their ancestors. */
  Clock clockOf(int[] roots, int actorCount) {
    long[] max = new long[actorCount];
    BitSet set = ancestors(roots);
    for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
      Entry e = entries.get(i);
      if (e.maxOp() > max[e.actor()]) {
        max[e.actor()] = e.maxOp();
      }
    }
    return new Clock(max);
  }
}

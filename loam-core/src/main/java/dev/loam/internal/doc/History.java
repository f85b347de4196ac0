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
  private final Map<ChangeHash, Integer> byHash = new HashMap<>();
  /** Per actor index: the entry index of each seq (seq 1 at position 0). */
  private final List<int[]> bySeq = new ArrayList<>();
  private final List<Integer> seqCount = new ArrayList<>();
  private final TreeSet<ChangeHash> heads = new TreeSet<>();

  int size() {
    return entries.size();
  }

  int indexOf(ChangeHash hash) {
    Integer i = byHash.get(hash);
    return i == null ? -1 : i;
  }

  boolean contains(ChangeHash hash) {
    return byHash.containsKey(hash);
  }

  long lastSeq(int actor) {
    return actor < seqCount.size() ? seqCount.get(actor) : 0;
  }

  /** The entry of the latest change by {@code actor}, or -1. */
  int lastOf(int actor) {
    long s = lastSeq(actor);
    return s == 0 ? -1 : bySeq.get(actor)[(int) s - 1];
  }

  List<ChangeHash> heads() {
    return List.copyOf(heads);
  }

  void add(Entry e) {
    int idx = entries.size();
    entries.add(e);
    byHash.put(e.hash(), idx);
    while (bySeq.size() <= e.actor()) {
      bySeq.add(new int[4]);
      seqCount.add(0);
    }
    int n = seqCount.get(e.actor());
    int[] arr = bySeq.get(e.actor());
    if (n == arr.length) {
      arr = Arrays.copyOf(arr, n * 2);
      bySeq.set(e.actor(), arr);
    }
    arr[n] = idx;
    seqCount.set(e.actor(), n + 1);
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

package dev.loam.internal.doc;

import java.util.Arrays;

/**
 * The index from operation ids to operation rows. An actor's counters only grow as its changes are
 * applied, and most of the counters between an actor's first and last op are its own (a single
 * writer's are all of them), so each actor's rows sit in an array by counter: 4 bytes an op where a
 * hash slot at load ½ takes 24, and a lookup is one array read where a hash probe lands anywhere in
 * a table the size of the document. A load declares each actor's counters first ({@link
 * #declare}), since a document's ops come in document order, not by counter. An actor whose
 * counters are too sparse for an array (fewer than one in {@link #MAX_SPAN_PER_OP} of them its own,
 * as when many actors take turns) has its ops in a hash map instead.
 *
 * <p>Implementation notes: actor {@code a}'s array holds row + 1 (0: no op) for the counters
 * {@code base[a]} to {@code base[a] + span[a] - 1}; it grows upward as ops come (the array is
 * {@link Paged.LinearInts}: growth copies nothing, and the rows of ops applied in counter order, as
 * one author types them, keep no array) and, for an op below its base, is copied once onto a base
 * lowered by at least its span, so ops arriving in falling order cost amortised O(1). Keys must be
 * packed op ids ({@link OpIds}) with a counter of at least 1. Not thread-safe (its op set's lock).
 */
final class OpIndex {
  /** An actor's array spans at most this many counters per op it holds (plus {@link #SLACK}); sparser actors are hashed. */
  static final int MAX_SPAN_PER_OP = 4;
  /** Counters an array may span beyond that ratio: a young actor's few ops never go to the hash map for being few. */
  static final int SLACK = 1024;

  private long[] base = new long[0];
  private int[] span = new int[0];
  private int[] held = new int[0];
  /** Per actor: the ops a load declared (its array was sized for them before they came). */
  private int[] declared = new int[0];
  private Paged.LinearInts[] rows = new Paged.LinearInts[0];
  private boolean[] hashed = new boolean[0];
  private final LongIntMap sparse = new LongIntMap(16);

  /** Becomes an independent copy of {@code src}. */
  void copyFrom(OpIndex src) {
    base = src.base.clone();
    span = src.span.clone();
    held = src.held.clone();
    declared = src.declared.clone();
    hashed = src.hashed.clone();
    rows = new Paged.LinearInts[src.rows.length];
    for (int a = 0; a < rows.length; a++) {
      if (src.rows[a] != null) {
        rows[a] = new Paged.LinearInts();
        rows[a].copyFrom(src.rows[a]);
      }
    }
    sparse.copyFrom(src.sparse);
  }

  /** The row of op {@code id}, or -1. */
  int get(long id) {
    int a = OpIds.actor(id);
    if (a >= rows.length) {
      return -1;
    }
    Paged.LinearInts r = rows[a];
    if (r == null) {
      return hashed[a] ? sparse.get(id) : -1;
    }
    long off = OpIds.counter(id) - base[a];
    return off >= 0 && off < span[a] ? r.get((int) off) - 1 : -1;
  }

  /** Whether actor {@code actor}'s ops are in the hash map (too sparse for an array). */
  boolean hashes(int actor) {
    return actor < hashed.length && hashed[actor];
  }

  /** Adds {@code id -> row} unless {@code id} is present; returns the present row, or -1 if added. */
  int putIfAbsent(long id, int row) {
    int old = get(id);
    if (old < 0) {
      set(id, row, true);
    }
    return old;
  }

  /** Maps {@code id} to {@code row}. */
  void put(long id, int row) {
    set(id, row, get(id) < 0);
  }

  /**
   * Declares that actor {@code actor}'s ops to come hold {@code count} counters between {@code
   * min} and {@code max}: its array is made for them at once (or the actor hashed, if too sparse).
   * Does nothing for an actor that holds ops already.
   */
  void declare(int actor, long min, long max, int count) {
    grow(actor);
    if (held[actor] > 0 || hashed[actor] || count <= 0) {
      return;
    }
    long width = max - min + 1;
    if (tooSparse(width, count)) {
      hashed[actor] = true;
      return;
    }
    Paged.LinearInts r = new Paged.LinearInts();
    r.ensure((int) width);
    rows[actor] = r;
    base[actor] = min;
    span[actor] = (int) width;
    declared[actor] = count;
  }

  private static boolean tooSparse(long width, long count) {
    return width > MAX_SPAN_PER_OP * count + SLACK || width > Integer.MAX_VALUE - Paged.SIZE;
  }

  private void set(long id, int row, boolean added) {
    int a = OpIds.actor(id);
    long c = OpIds.counter(id);
    grow(a);
    if (added) {
      held[a]++;
    }
    if (hashed[a]) {
      sparse.put(id, row);
      return;
    }
    if (rows[a] == null) {
      rows[a] = new Paged.LinearInts();
      base[a] = c;
      span[a] = 0;
    }
    long lo = base[a];
    long hi = Math.max(lo + span[a] - 1, c);
    if (c < lo) {
      lo = Math.max(1, c - Math.max(span[a], 16)); // lowered by its span at least: falling ops rebase rarely
    }
    if (hi - lo + 1 > span[a] && tooSparse(hi - lo + 1, Math.max(held[a], declared[a]))) {
      toHashMap(a);
      sparse.put(id, row);
      return;
    }
    if (lo < base[a]) {
      rebase(a, lo);
    }
    int off = (int) (c - base[a]);
    if (off >= span[a]) {
      rows[a].ensure(off + 1);
      span[a] = off + 1;
    }
    rows[a].set(off, row + 1);
  }

  private void rebase(int a, long lo) {
    int shift = (int) (base[a] - lo);
    Paged.LinearInts old = rows[a];
    Paged.LinearInts r = new Paged.LinearInts();
    r.ensure(span[a] + shift);
    for (int i = 0; i < span[a]; i++) {
      r.set(i + shift, old.get(i));
    }
    rows[a] = r;
    base[a] = lo;
    span[a] += shift;
  }

  private void toHashMap(int a) {
    Paged.LinearInts r = rows[a];
    for (int i = 0; r != null && i < span[a]; i++) {
      int v = r.get(i);
      if (v != 0) {
        sparse.put(OpIds.pack(base[a] + i, a), v - 1);
      }
    }
    rows[a] = null;
    span[a] = 0;
    hashed[a] = true;
  }

  private void grow(int actor) {
    if (actor < rows.length) {
      return;
    }
    int n = Math.max(actor + 1, rows.length * 2);
    base = Arrays.copyOf(base, n);
    span = Arrays.copyOf(span, n);
    held = Arrays.copyOf(held, n);
    declared = Arrays.copyOf(declared, n);
    rows = Arrays.copyOf(rows, n);
    hashed = Arrays.copyOf(hashed, n);
  }
}

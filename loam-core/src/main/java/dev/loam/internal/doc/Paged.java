package dev.loam.internal.doc;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Growable columns stored in pages: the engine's per-op and per-change arrays. One flat array per
 * column would, for a large document, be a "humongous" object to G1 (anything over half a heap
 * region): it takes whole regions, so an array just over a region or a power of two wastes up to
 * half its size, and growing it copies everything. Pages of {@link #SIZE} entries are ordinary
 * objects and growth copies nothing; the first page starts small and grows by half up to a page,
 * so a small document stays small.
 *
 * <p>Implementation notes: entry {@code i} is {@code pages[i >>> SHIFT][i & MASK]}; page 0 may be
 * shorter than {@link #SIZE} while it is the only page.
 */
final class Paged {
  static final int SHIFT = 13;
  static final int SIZE = 1 << SHIFT;
  static final int MASK = SIZE - 1;

  private Paged() {}

  /** The length page 0 should have to hold {@code n} entries (n at most {@link #SIZE}). */
  static int firstPageLength(int current, int n) {
    int len = Math.max(16, current);
    while (len < n) {
      len = Math.min(SIZE, len + (len >> 1));
    }
    return len;
  }

  /** Pages able to hold {@code n} entries: page 0 grown while it is alone, then whole pages added. */
  static <P> P[] grow(P[] pages, int n, IntFunction<P> page, BiFunction<P, Integer, P> copyOf) {
    if (n <= SIZE) {
      pages[0] = copyOf.apply(pages[0], firstPageLength(Array.getLength(pages[0]), n));
      return pages;
    }
    pages[0] = copyOf.apply(pages[0], SIZE);
    int have = pages.length;
    int need = (n + MASK) >>> SHIFT;
    P[] more = Arrays.copyOf(pages, need);
    for (int k = have; k < need; k++) {
      more[k] = page.apply(SIZE);
    }
    return more;
  }

  static <P> int capacityOf(P[] pages) {
    return pages.length == 1 ? Array.getLength(pages[0]) : pages.length * SIZE;
  }

  static final class Ints {
    private int[][] pages = {new int[16]};
    private int capacity = 16;

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(Ints src) {
      pages = new int[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k].clone();
      }
      capacity = src.capacity;
    }

    int get(int i) {
      return pages[i >>> SHIFT][i & MASK];
    }

    void set(int i, int v) {
      pages[i >>> SHIFT][i & MASK] = v;
    }

    void ensure(int n) {
      if (n > capacity) {
        pages = grow(pages, n, int[]::new, Arrays::copyOf);
        capacity = capacityOf(pages);
      }
    }
  }

  /**
   * The growth shared by the columns whose pages may have no array: page 0 grows like the other
   * columns' while it is the only page, then whole pages are added to the directory.
   */
  private abstract static class LazyPages {
    int capacity = 16;

    /** Makes page 0's array (if it has one) at least {@code length} long. */
    abstract void growPage0(int length);

    /** Makes the directory {@code pageCount} pages long; the new pages have no array. */
    abstract void growDirectory(int pageCount);

    /** Page 0 of {@code pages}, if it has an array shorter than {@code length}, grown to it. */
    static <P> void growFirst(P[] pages, int length, BiFunction<P, Integer, P> copyOf) {
      if (pages[0] != null && Array.getLength(pages[0]) < length) {
        pages[0] = copyOf.apply(pages[0], length);
      }
    }

    /** A copy of {@code pages} with each array cloned (pages without one stay without). */
    static <P> P[] copyPages(P[] pages, UnaryOperator<P> clone) {
      P[] out = pages.clone();
      for (int k = 0; k < out.length; k++) {
        if (out[k] != null) {
          out[k] = clone.apply(out[k]);
        }
      }
      return out;
    }

    final void ensure(int n) {
      if (n <= capacity) {
        return;
      }
      if (n <= SIZE) {
        capacity = firstPageLength(capacity, n);
        growPage0(capacity);
        return;
      }
      growPage0(SIZE);
      int need = (n + MASK) >>> SHIFT;
      growDirectory(need);
      capacity = need * SIZE;
    }
  }

  /**
   * An int column for values that stay the same over long runs (the object of every op of a
   * document holding one text, update links that text ops never use, the author of one author's
   * changes): a page holds its first value without an array until a different value is written into
   * it. Entries never written read as the page's value (or 0). Page 0 grows like the other
   * columns' while it is the only page. Cheaper to read than {@link LinearInts}, for the columns
   * read on every op.
   */
  static final class UniformInts extends LazyPages {
    private int[] @Nullable [] pages = new int[1][];
    private int[] uniform = new int[1];
    private boolean[] valued = new boolean[1];

    int get(int i) {
      int k = i >>> SHIFT;
      int[] p = pages[k];
      return p == null ? uniform[k] : p[i & MASK];
    }

    void set(int i, int v) {
      int k = i >>> SHIFT;
      int[] p = pages[k];
      if (p == null) {
        if (!valued[k]) {
          valued[k] = true;
          uniform[k] = v;
          return;
        }
        if (uniform[k] == v) {
          return;
        }
        p = new int[pages.length == 1 ? capacity : SIZE];
        Arrays.fill(p, uniform[k]);
        pages[k] = p;
      }
      p[i & MASK] = v;
    }

    @Override
    void growPage0(int length) {
      growFirst(pages, length, Arrays::copyOf);
    }

    @Override
    void growDirectory(int pageCount) {
      pages = Arrays.copyOf(pages, pageCount);
      uniform = Arrays.copyOf(uniform, pageCount);
      valued = Arrays.copyOf(valued, pageCount);
    }

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(UniformInts src) {
      pages = copyPages(src.pages, int[]::clone);
      uniform = src.uniform.clone();
      valued = src.valued.clone();
      capacity = src.capacity;
    }
  }

  /**
   * The line state shared by {@link LinearInts} and {@link LinearLongs}: per page without an array,
   * its first value, its step and how many of its first entries were written (in order), in long
   * arithmetic for both kinds.
   */
  private abstract static class LinePages extends LazyPages {
    private long[] base = new long[1];
    private long[] step = new long[1];
    private int[] written = new int[1];

    /**
     * Whether {@code v} written at {@code off} of array-less page {@code k} keeps the page on its
     * line (and records it); if not, the page needs an array.
     */
    final boolean stayOnLine(int k, int off, long v) {
      int w = written[k];
      boolean onLine = base[k] + step[k] * off == v;
      if (off < w) {
        return onLine; // rewritten: fine if with the value it has
      }
      if (off == w && (w <= 1 || onLine)) {
        if (w == 0) {
          base[k] = v;
        } else if (w == 1) {
          step[k] = v - base[k];
        }
        written[k] = w + 1;
        return true;
      }
      return false;
    }

    /** Entry {@code off} of array-less page {@code k}: on the line if written, else 0. */
    final long lineValue(int k, int off) {
      return off < written[k] ? base[k] + step[k] * off : 0;
    }

    /** How many of page {@code k}'s first entries are on its line (all it holds before it gets an array). */
    final int writtenOf(int k) {
      return written[k];
    }

    final void growLines(int pageCount) {
      base = Arrays.copyOf(base, pageCount);
      step = Arrays.copyOf(step, pageCount);
      written = Arrays.copyOf(written, pageCount);
    }

    final void copyLines(LinePages src) {
      base = src.base.clone();
      step = src.step.clone();
      written = src.written.clone();
      capacity = src.capacity;
    }
  }

  /**
   * An int column whose values, written in row order, stay the same or step by a constant over
   * long runs (the counters of one author's ops, the seq numbers, start ops and dependencies of one
   * author's changes, the rows of one author's ops by counter): a page holds its first value and its
   * step without an array until a value off that line is written into it. Unsigned values (counters
   * up to 2^32 - 1) are kept too (a line across 2^31 takes an array). Entries never written read as
   * 0. Page 0 grows like the other columns' while it is the only page.
   */
  static final class LinearInts extends LinePages {
    private int[] @Nullable [] pages = new int[1][];

    int get(int i) {
      int k = i >>> SHIFT;
      int[] p = pages[k];
      return p == null ? (int) lineValue(k, i & MASK) : p[i & MASK];
    }

    void set(int i, int v) {
      int k = i >>> SHIFT;
      int[] p = pages[k];
      if (p == null) {
        if (stayOnLine(k, i & MASK, v)) {
          return;
        }
        p = new int[pages.length == 1 ? capacity : SIZE];
        for (int j = 0, w = writtenOf(k); j < w; j++) {
          p[j] = (int) lineValue(k, j);
        }
        pages[k] = p;
      }
      p[i & MASK] = v;
    }

    @Override
    void growPage0(int length) {
      growFirst(pages, length, Arrays::copyOf);
    }

    @Override
    void growDirectory(int pageCount) {
      pages = Arrays.copyOf(pages, pageCount);
      growLines(pageCount);
    }

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(LinearInts src) {
      pages = copyPages(src.pages, int[]::clone);
      copyLines(src);
    }
  }

  /**
   * {@link LinearInts} for longs: the op ids of one author typing in order (a page keeps no array
   * while each id is one counter past the one before). Read on every op, so kept whole rather than
   * as two int columns.
   */
  static final class LinearLongs extends LinePages {
    private long[] @Nullable [] pages = new long[1][];

    long get(int i) {
      int k = i >>> SHIFT;
      long[] p = pages[k];
      return p == null ? lineValue(k, i & MASK) : p[i & MASK];
    }

    void set(int i, long v) {
      int k = i >>> SHIFT;
      long[] p = pages[k];
      if (p == null) {
        if (stayOnLine(k, i & MASK, v)) {
          return;
        }
        p = new long[pages.length == 1 ? capacity : SIZE];
        for (int j = 0, w = writtenOf(k); j < w; j++) {
          p[j] = lineValue(k, j);
        }
        pages[k] = p;
      }
      p[i & MASK] = v;
    }

    @Override
    void growPage0(int length) {
      growFirst(pages, length, Arrays::copyOf);
    }

    @Override
    void growDirectory(int pageCount) {
      pages = Arrays.copyOf(pages, pageCount);
      growLines(pageCount);
    }

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(LinearLongs src) {
      pages = copyPages(src.pages, long[]::clone);
      copyLines(src);
    }
  }

  /**
   * Op ids packed as {@link OpIds} packs them, kept as two int columns on lines: the counter (32
   * bits, unsigned) and the actor. One author's ops keep no actor array, and runs of ids in order no
   * counter array either; ids in any other order cost 4 bytes a row rather than 8. For element ids,
   * which follow the order of the text rather than of typing; the op ids, read far more often, are
   * a {@link LinearLongs} (reading one column rather than two kept replay and load about 10 % faster).
   */
  static final class Ids {
    private final LinearInts counters = new LinearInts();
    private final UniformInts actors = new UniformInts();

    long get(int i) {
      return OpIds.pack(Integer.toUnsignedLong(counters.get(i)), actors.get(i));
    }

    /** Sets row {@code i} to {@code id}, whose counter is at most {@link OpIds#MAX_COUNTER}. */
    void set(int i, long id) {
      counters.set(i, (int) OpIds.counter(id));
      actors.set(i, OpIds.actor(id));
    }

    void ensure(int n) {
      counters.ensure(n);
      actors.ensure(n);
    }

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(Ids src) {
      counters.copyFrom(src.counters);
      actors.copyFrom(src.actors);
    }
  }

  static final class Longs {
    private long[][] pages = {new long[16]};
    private int capacity = 16;

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(Longs src) {
      pages = new long[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k].clone();
      }
      capacity = src.capacity;
    }

    long get(int i) {
      return pages[i >>> SHIFT][i & MASK];
    }

    void set(int i, long v) {
      pages[i >>> SHIFT][i & MASK] = v;
    }

    void ensure(int n) {
      if (n > capacity) {
        pages = grow(pages, n, long[]::new, Arrays::copyOf);
        capacity = capacityOf(pages);
      }
    }
  }

  static final class Bytes {
    private byte[][] pages = {new byte[16]};
    private int capacity = 16;

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(Bytes src) {
      pages = new byte[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k].clone();
      }
      capacity = src.capacity;
    }

    byte get(int i) {
      return pages[i >>> SHIFT][i & MASK];
    }

    void set(int i, byte v) {
      pages[i >>> SHIFT][i & MASK] = v;
    }

    void ensure(int n) {
      if (n > capacity) {
        pages = grow(pages, n, byte[]::new, Arrays::copyOf);
        capacity = capacityOf(pages);
      }
    }
  }

  static final class Refs<T> {
    private Object[][] pages = {new Object[16]};
    private int capacity = 16;

    /** Becomes a copy of {@code src} holding the same (immutable, or shared by intent) objects. */
    void copyFrom(Refs<T> src) {
      pages = new Object[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k].clone();
      }
      capacity = src.capacity;
    }

    /** Becomes as large as {@code src} with every entry null. */
    void emptyLike(Refs<?> src) {
      pages = new Object[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = new Object[src.pages[k].length];
      }
      capacity = src.capacity;
    }

    @SuppressWarnings("unchecked")
    T get(int i) {
      return (T) pages[i >>> SHIFT][i & MASK];
    }

    void set(int i, T v) {
      pages[i >>> SHIFT][i & MASK] = v;
    }

    void ensure(int n) {
      if (n > capacity) {
        pages = grow(pages, n, Object[]::new, Arrays::copyOf);
        capacity = capacityOf(pages);
      }
    }
  }

  /**
   * A reference column that is null for most rows: a page of {@link #SPARSE_SIZE} entries exists
   * only once a non-null value is written into its range, so an all-null range costs one slot of
   * the page directory rather than four bytes per row.
   */
  static final class SparseRefs<T> {
    static final int SPARSE_SHIFT = 10;
    static final int SPARSE_SIZE = 1 << SPARSE_SHIFT;
    static final int SPARSE_MASK = SPARSE_SIZE - 1;

    private Object[][] pages = new Object[1][];

    /** Becomes a copy of {@code src} holding the same immutable objects. */
    void copyFrom(SparseRefs<T> src) {
      pages = new Object[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k] == null ? null : src.pages[k].clone();
      }
    }

    @SuppressWarnings("unchecked")
    T get(int i) {
      Object[] p = pages[i >>> SPARSE_SHIFT];
      return p == null ? null : (T) p[i & SPARSE_MASK];
    }

    void set(int i, T v) {
      int k = i >>> SPARSE_SHIFT;
      Object[] p = pages[k];
      if (p == null) {
        if (v == null) {
          return;
        }
        p = new Object[SPARSE_SIZE];
        pages[k] = p;
      }
      p[i & SPARSE_MASK] = v;
    }

    void ensure(int n) {
      pages = sparseDirectory(pages, n);
    }

    /** The page directory {@code pages}, grown by half (or to need) if it cannot reach row {@code n - 1}. */
    static <P> P[] sparseDirectory(P[] pages, int n) {
      int need = (n + SPARSE_MASK) >>> SPARSE_SHIFT;
      return need <= pages.length ? pages : Arrays.copyOf(pages, Math.max(need, pages.length + (pages.length >> 1) + 1));
    }
  }

  /**
   * An int column that is -1 for most rows, paged as {@link SparseRefs} is: a range of {@link
   * SparseRefs#SPARSE_SIZE} rows gets an array only once a row in it holds another value.
   */
  static final class SparseInts {
    private int[][] pages = new int[1][];

    /** Becomes an independent copy of {@code src}. */
    void copyFrom(SparseInts src) {
      pages = new int[src.pages.length][];
      for (int k = 0; k < pages.length; k++) {
        pages[k] = src.pages[k] == null ? null : src.pages[k].clone();
      }
    }

    int get(int i) {
      int[] p = pages[i >>> SparseRefs.SPARSE_SHIFT];
      return p == null ? -1 : p[i & SparseRefs.SPARSE_MASK];
    }

    void set(int i, int v) {
      int k = i >>> SparseRefs.SPARSE_SHIFT;
      int[] p = pages[k];
      if (p == null) {
        if (v == -1) {
          return;
        }
        p = new int[SparseRefs.SPARSE_SIZE];
        Arrays.fill(p, -1);
        pages[k] = p;
      }
      p[i & SparseRefs.SPARSE_MASK] = v;
    }

    void ensure(int n) {
      pages = SparseRefs.sparseDirectory(pages, n);
    }
  }
}

package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Paged.UniformInts}, {@link Paged.LinearInts}, {@link Paged.LinearLongs} and {@link
 * Paged.Ids} against plain arrays: rows appended in order as the engine writes them (long runs of
 * one value or of one step, wrapping, rows skipped, changes inside and across pages, page 0 growing
 * while alone), then rewritten at random places; a copy taken midway must equal the model at that
 * point and stay independent of later writes to either side.
 */
class PagedColumnsTest {
  /** What a row generator returns for a row it leaves unwritten (no column kind holds it). */
  private static final long SKIP = Long.MIN_VALUE;

  /** A column under test, its values widened to longs. */
  private interface Column {
    long get(int i);

    void set(int i, long v);

    void ensure(int n);

    Column copy();
  }

  private record Uniform(Paged.UniformInts c) implements Column {
    @Override public long get(int i) { return c.get(i); }
    @Override public void set(int i, long v) { c.set(i, (int) v); }
    @Override public void ensure(int n) { c.ensure(n); }

    @Override
    public Column copy() {
      Paged.UniformInts d = new Paged.UniformInts();
      d.copyFrom(c);
      return new Uniform(d);
    }
  }

  private record Linear(Paged.LinearInts c) implements Column {
    @Override public long get(int i) { return c.get(i); }
    @Override public void set(int i, long v) { c.set(i, (int) v); }
    @Override public void ensure(int n) { c.ensure(n); }

    @Override
    public Column copy() {
      Paged.LinearInts d = new Paged.LinearInts();
      d.copyFrom(c);
      return new Linear(d);
    }
  }

  private record LinearL(Paged.LinearLongs c) implements Column {
    @Override public long get(int i) { return c.get(i); }
    @Override public void set(int i, long v) { c.set(i, v); }
    @Override public void ensure(int n) { c.ensure(n); }

    @Override
    public Column copy() {
      Paged.LinearLongs d = new Paged.LinearLongs();
      d.copyFrom(c);
      return new LinearL(d);
    }
  }

  private record Ids(Paged.Ids c) implements Column {
    @Override public long get(int i) { return c.get(i); }
    @Override public void set(int i, long v) { c.set(i, v); }
    @Override public void ensure(int n) { c.ensure(n); }

    @Override
    public Column copy() {
      Paged.Ids d = new Paged.Ids();
      d.copyFrom(c);
      return new Ids(d);
    }
  }

  /** Rows 0 .. n-1 written in order from {@code rows}, some rewritten, then read back (see the class comment). */
  private static void check(Random rnd, int n, Column col, LongSupplier rows, LongUnaryOperator rewrite,
      LongUnaryOperator other) {
    long[] model = new long[n];
    Column copy = null;
    long[] copyModel = null;
    int copyAt = rnd.nextInt(n + 1);
    for (int i = 0; i < n; i++) {
      if (i == copyAt) {
        copy = col.copy();
        copyModel = Arrays.copyOf(model, i);
      }
      long v = rows.getAsLong();
      col.ensure(i + 1);
      if (v != SKIP) {
        col.set(i, v);
        model[i] = v;
      }
    }
    for (int k = 0, rewrites = rnd.nextInt(200); k < rewrites && n > 0; k++) {
      int i = rnd.nextInt(n);
      long v = rewrite.applyAsLong(model[i]);
      col.set(i, v);
      model[i] = v;
    }
    for (int i = 0; i < n; i++) {
      assertEquals(model[i], col.get(i), "row " + i + " of " + n);
    }
    if (copy != null) {
      for (int i = 0; i < copyModel.length; i++) {
        assertEquals(copyModel[i], copy.get(i), "row " + i + " of the copy taken at " + copyAt);
      }
      for (int i = 0; i < copyModel.length; i++) { // writes to the copy leave the original alone
        copy.set(i, other.applyAsLong(copyModel[i]));
      }
      for (int i = 0; i < n; i++) {
        assertEquals(model[i], col.get(i), "row " + i + " after writes to the copy");
      }
    }
  }

  private static int rows(Random rnd) {
    return rnd.nextInt(4) == 0 ? rnd.nextInt(100) : rnd.nextInt(4 * Paged.SIZE);
  }

  @TestFactory
  Stream<DynamicTest> uniformIntsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("uniform ints", PagedColumnsTest::runUniform);
  }

  static void runUniform(long seed) {
    Random rnd = new Random(seed);
    int[] values = {0, 1, -1, 7, Integer.MIN_VALUE};
    LongSupplier runs = new LongSupplier() {
      private int value = values[rnd.nextInt(values.length)];

      @Override
      public long getAsLong() {
        if (rnd.nextInt(rnd.nextBoolean() ? 20 : 5000) == 0) {
          value = values[rnd.nextInt(values.length)]; // runs of one value, now short, now long
        }
        return value;
      }
    };
    check(rnd, rows(rnd), new Uniform(new Paged.UniformInts()), runs,
        old -> rnd.nextInt(3) == 0 ? rnd.nextInt() : values[rnd.nextInt(values.length)], old -> ~old);
  }

  @TestFactory
  Stream<DynamicTest> linearIntsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("linear ints", PagedColumnsTest::runInts);
  }

  static void runInts(long seed) {
    Random rnd = new Random(seed);
    int n = rows(rnd);
    // constant runs most often, and wrapping lines
    LongSupplier lines = lines(rnd, n, new long[] {0, 0, 1, -1, 7, Integer.MAX_VALUE}, v -> (int) v);
    check(rnd, n, new Linear(new Paged.LinearInts()), lines, old -> rnd.nextBoolean() ? old : rnd.nextInt(),
        old -> (int) ~old);
  }

  @TestFactory
  Stream<DynamicTest> linearLongsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("linear longs", PagedColumnsTest::runLongs);
  }

  static void runLongs(long seed) {
    Random rnd = new Random(seed);
    int n = rows(rnd);
    // one counter of a packed op id (1 << 20) most often, and wrapping lines
    LongSupplier lines = lines(rnd, n, new long[] {0, 1L << 20, 1L << 20, -3, Long.MAX_VALUE}, v -> v);
    check(rnd, n, new LinearL(new Paged.LinearLongs()), lines, old -> rnd.nextBoolean() ? old : rnd.nextLong(),
        old -> ~old);
  }

  /**
   * Values on lines ({@code narrow} wraps them to the column's width): now and then a jump, a new
   * step or both, now and then a row left unwritten, and none written from a random row on.
   */
  private static LongSupplier lines(Random rnd, int n, long[] steps, LongUnaryOperator narrow) {
    int jumpsEvery = rnd.nextBoolean() ? 20 : 50_000; // pages off the line, or long lines across pages
    int tail = rnd.nextBoolean() ? n : rnd.nextInt(n + 1);
    return new LongSupplier() {
      private int row;
      private long next = rnd.nextInt(3) - 1;
      private long step = steps[rnd.nextInt(steps.length)];

      @Override
      public long getAsLong() {
        if (rnd.nextInt(jumpsEvery) == 0) {
          next = rnd.nextBoolean() ? rnd.nextLong() : next;
          step = steps[rnd.nextInt(steps.length)];
        }
        long v = narrow.applyAsLong(next);
        next += step;
        return row++ < tail && rnd.nextInt(2 * jumpsEvery) != 0 ? v : SKIP; // unwritten rows read 0
      }
    };
  }

  @TestFactory
  Stream<DynamicTest> idsReadBackEveryIdWrittenLikeAPlainArray() {
    return Seeds.tests("op ids", PagedColumnsTest::runIds);
  }

  /** The id of counter {@code ctr} (wrapped to 32 unsigned bits) by {@code actor}. */
  private static long id(long ctr, int actor) {
    return OpIds.pack(ctr & OpIds.MAX_COUNTER, actor);
  }

  static void runIds(long seed) {
    Random rnd = new Random(seed);
    long[] steps = {0, 1, 1, -1, 3, OpIds.MAX_COUNTER}; // typing in order most often; wrapping counters
    int jumpsEvery = rnd.nextBoolean() ? 20 : 50_000;
    LongSupplier ids = new LongSupplier() {
      private long ctr = rnd.nextInt(3);
      private long step = steps[rnd.nextInt(steps.length)];
      private int actor = rnd.nextInt(3);

      @Override
      public long getAsLong() {
        if (rnd.nextInt(jumpsEvery) == 0) { // a jump, a new step, another author, or all three
          ctr = rnd.nextBoolean() ? rnd.nextLong() : ctr;
          step = steps[rnd.nextInt(steps.length)];
          actor = rnd.nextBoolean() ? actor : rnd.nextInt(OpIds.MAX_ACTORS);
        }
        long v = rnd.nextInt(1000) == 0 ? OpIds.HEAD : id(ctr, actor);
        ctr += step;
        return v;
      }
    };
    check(rnd, rows(rnd), new Ids(new Paged.Ids()), ids,
        old -> rnd.nextBoolean() ? old : id(rnd.nextLong(), rnd.nextInt(OpIds.MAX_ACTORS)),
        old -> id(OpIds.counter(old) + 1, OpIds.actor(old) ^ 1));
  }
}

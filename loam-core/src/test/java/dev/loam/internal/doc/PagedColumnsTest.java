package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Paged.UniformInts} and {@link Paged.LinearLongs} against plain arrays: rows appended in
 * order as the engine writes them (long runs of one value or of one step, changes inside and across
 * pages, page 0 growing while alone), then rewritten at random places; a copy taken midway must
 * equal the model at that point and stay independent of later writes to either side.
 */
class PagedColumnsTest {
  @TestFactory
  Stream<DynamicTest> readsBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("uniform ints", PagedColumnsTest::run);
  }

  static void run(long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(4) == 0 ? rnd.nextInt(100) : rnd.nextInt(4 * Paged.SIZE);
    int[] values = {0, 1, -1, 7, Integer.MIN_VALUE};
    int[] model = new int[n];
    Paged.UniformInts col = new Paged.UniformInts();
    int runValue = values[rnd.nextInt(values.length)];
    Paged.UniformInts copy = null;
    int[] copyModel = null;
    int copyAt = rnd.nextInt(n + 1);
    for (int i = 0; i < n; i++) {
      if (i == copyAt) {
        copy = new Paged.UniformInts();
        copy.copyFrom(col);
        copyModel = Arrays.copyOf(model, i);
      }
      if (rnd.nextInt(rnd.nextBoolean() ? 20 : 5000) == 0) {
        runValue = values[rnd.nextInt(values.length)]; // runs of one value, now short, now long
      }
      col.ensure(i + 1);
      col.set(i, runValue);
      model[i] = runValue;
    }
    for (int k = 0, rewrites = rnd.nextInt(200); k < rewrites && n > 0; k++) {
      int i = rnd.nextInt(n);
      int v = rnd.nextInt(3) == 0 ? rnd.nextInt() : values[rnd.nextInt(values.length)];
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
        copy.set(i, ~copyModel[i]);
      }
      for (int i = 0; i < n; i++) {
        assertEquals(model[i], col.get(i), "row " + i + " after writes to the copy");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> linearLongsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("linear longs", PagedColumnsTest::runLinear);
  }

  static void runLinear(long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(4) == 0 ? rnd.nextInt(100) : rnd.nextInt(4 * Paged.SIZE);
    long[] steps = {0, 1, 1L << 16, -3, Long.MAX_VALUE};
    long[] model = new long[n];
    Paged.LinearLongs col = new Paged.LinearLongs();
    long next = rnd.nextLong();
    long step = steps[rnd.nextInt(steps.length)];
    Paged.LinearLongs copy = null;
    long[] copyModel = null;
    int copyAt = rnd.nextInt(n + 1);
    int jumpsEvery = rnd.nextBoolean() ? 20 : 50_000; // pages off the line, or long lines across pages
    for (int i = 0; i < n; i++) {
      if (i == copyAt) {
        copy = new Paged.LinearLongs();
        copy.copyFrom(col);
        copyModel = Arrays.copyOf(model, i);
      }
      if (rnd.nextInt(jumpsEvery) == 0) { // a jump, a new step, or both
        next = rnd.nextBoolean() ? rnd.nextLong() : next;
        step = steps[rnd.nextInt(steps.length)];
      }
      col.ensure(i + 1);
      col.set(i, next);
      model[i] = next;
      next += step;
    }
    for (int k = 0, rewrites = rnd.nextInt(200); k < rewrites && n > 0; k++) {
      int i = rnd.nextInt(n);
      long v = rnd.nextBoolean() ? model[i] : rnd.nextLong(); // the same value, or another
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
      for (int i = 0; i < copyModel.length; i++) {
        copy.set(i, ~copyModel[i]);
      }
      for (int i = 0; i < n; i++) {
        assertEquals(model[i], col.get(i), "row " + i + " after writes to the copy");
      }
    }
  }
}

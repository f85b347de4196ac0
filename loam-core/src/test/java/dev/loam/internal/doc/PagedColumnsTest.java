package dev.loam.internal.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Paged.UniformInts}, {@link Paged.LinearInts} and {@link Paged.Ids} against plain arrays:
 * rows appended in order as the engine writes them (long runs of one value or of one step,
 * wrapping, rows skipped, changes inside and across pages, page 0 growing while alone), then
 * rewritten at random places; a copy taken midway must equal the model at that point and stay
 * independent of later writes to either side.
 */
class PagedColumnsTest {
  @TestFactory
  Stream<DynamicTest> uniformIntsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("uniform ints", PagedColumnsTest::runUniform);
  }

  static void runUniform(long seed) {
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
  Stream<DynamicTest> linearIntsReadBackEveryValueWrittenLikeAPlainArray() {
    return Seeds.tests("linear ints", PagedColumnsTest::runInts);
  }

  static void runInts(long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(4) == 0 ? rnd.nextInt(100) : rnd.nextInt(4 * Paged.SIZE);
    int[] steps = {0, 0, 1, -1, 7, Integer.MAX_VALUE}; // constant runs most often, and wrapping lines
    int[] model = new int[n];
    Paged.LinearInts col = new Paged.LinearInts();
    int next = rnd.nextInt(3) - 1;
    int step = steps[rnd.nextInt(steps.length)];
    Paged.LinearInts copy = null;
    int[] copyModel = null;
    int copyAt = rnd.nextInt(n + 1);
    int jumpsEvery = rnd.nextBoolean() ? 20 : 50_000; // pages off the line, or long lines across pages
    int tail = rnd.nextBoolean() ? n : rnd.nextInt(n + 1); // and from here on, none is written
    for (int i = 0; i < n; i++) {
      if (i == copyAt) {
        copy = new Paged.LinearInts();
        copy.copyFrom(col);
        copyModel = Arrays.copyOf(model, i);
      }
      if (rnd.nextInt(jumpsEvery) == 0) { // a jump, a new step, or both
        next = rnd.nextBoolean() ? rnd.nextInt() : next;
        step = steps[rnd.nextInt(steps.length)];
      }
      col.ensure(i + 1);
      if (i < tail && rnd.nextInt(2 * jumpsEvery) != 0) { // rows left unwritten read 0
        col.set(i, next);
        model[i] = next;
      }
      next += step;
    }
    for (int k = 0, rewrites = rnd.nextInt(200); k < rewrites && n > 0; k++) {
      int i = rnd.nextInt(n);
      int v = rnd.nextBoolean() ? model[i] : rnd.nextInt(); // the same value, or another
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
  Stream<DynamicTest> idsReadBackEveryIdWrittenLikeAPlainArray() {
    return Seeds.tests("op ids", PagedColumnsTest::runIds);
  }

  /** The id of counter {@code ctr} (wrapped to 32 unsigned bits) by {@code actor}. */
  private static long id(long ctr, int actor) {
    return OpIds.pack(ctr & OpIds.MAX_COUNTER, actor);
  }

  static void runIds(long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(4) == 0 ? rnd.nextInt(100) : rnd.nextInt(4 * Paged.SIZE);
    long[] steps = {0, 1, 1, -1, 3, OpIds.MAX_COUNTER}; // typing in order most often; wrapping counters
    long[] model = new long[n];
    Paged.Ids col = new Paged.Ids();
    long ctr = rnd.nextInt(3);
    long step = steps[rnd.nextInt(steps.length)];
    int actor = rnd.nextInt(3);
    long next = id(ctr, actor);
    Paged.Ids copy = null;
    long[] copyModel = null;
    int copyAt = rnd.nextInt(n + 1);
    int jumpsEvery = rnd.nextBoolean() ? 20 : 50_000; // pages off the line, or long lines across pages
    for (int i = 0; i < n; i++) {
      if (i == copyAt) {
        copy = new Paged.Ids();
        copy.copyFrom(col);
        copyModel = Arrays.copyOf(model, i);
      }
      if (rnd.nextInt(jumpsEvery) == 0) { // a jump, a new step, another author, or all three
        ctr = rnd.nextBoolean() ? rnd.nextLong() : ctr;
        step = steps[rnd.nextInt(steps.length)];
        actor = rnd.nextBoolean() ? actor : rnd.nextInt(OpIds.MAX_ACTORS);
      }
      next = rnd.nextInt(1000) == 0 ? OpIds.HEAD : id(ctr, actor);
      col.ensure(i + 1);
      col.set(i, next);
      model[i] = next;
      ctr += step;
    }
    for (int k = 0, rewrites = rnd.nextInt(200); k < rewrites && n > 0; k++) {
      int i = rnd.nextInt(n);
      long v = rnd.nextBoolean() ? model[i] : id(rnd.nextLong(), rnd.nextInt(OpIds.MAX_ACTORS)); // the same, or another
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
        copy.set(i, id(OpIds.counter(copyModel[i]) + 1, OpIds.actor(copyModel[i]) ^ 1));
      }
      for (int i = 0; i < n; i++) {
        assertEquals(model[i], col.get(i), "row " + i + " after writes to the copy");
      }
    }
  }
}

package dev.loam.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * IntSort sorts like Arrays.sort, and a huge range (one change holding every op of a document, a
 * counter with a million increments, an op with a million preds in hostile input) costs
 * O(n log n) comparisons, not the O(n²) of the insertion sort it uses for short ranges.
 */
class IntSortTest {
  @TestFactory
  Stream<DynamicTest> sortsLikeArraysSort() {
    return Seeds.tests("int sort", seed -> {
      Random rnd = new Random(seed);
      int n = rnd.nextInt(4) == 0 ? rnd.nextInt(2000) : rnd.nextInt(40);
      int[] a = new int[n + 10];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextInt(rnd.nextBoolean() ? 8 : 1_000_000);
      }
      int from = rnd.nextInt(5);
      int[] expected = a.clone();
      Arrays.sort(expected, from, from + n);
      IntSort.sort(a, from, from + n, Integer::compare);
      assertArrayEquals(expected, a);
    });
  }

  @Test
  void aHugeReversedRangeCostsNLogNComparisons() {
    int n = 200_000;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = n - i;
    }
    long[] comparisons = {0};
    IntSort.sort(a, 0, n, (x, y) -> {
      comparisons[0]++;
      return Integer.compare(x, y);
    });
    for (int i = 0; i < n; i++) {
      assertTrue(a[i] == i + 1);
    }
    double bound = 2.0 * n * (Math.log(n) / Math.log(2));
    assertTrue(comparisons[0] < bound, comparisons[0] + " comparisons for " + n + " ints (insertion sort needs ~" + (long) n * n / 2 + ")");
  }
}

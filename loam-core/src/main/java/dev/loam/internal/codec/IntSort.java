package dev.loam.internal.codec;

import java.util.Arrays;

/**
 * Sorts a range of an {@code int[]} by a comparator: insertion sort for the short ranges that are
 * the rule (a change's ops, an op's preds), a merge sort through boxed values beyond that, so that
 * a hostile input with one huge range costs O(n log n), not O(n²).
 */
public final class IntSort {
  /** Compares two ints. */
  @FunctionalInterface
  public interface Comparator {
    int compare(int a, int b);
  }

  private static final int INSERTION_MAX = 32;

  private IntSort() {}

  public static void sort(int[] a, int from, int to, Comparator c) {
    if (to - from <= INSERTION_MAX) {
      for (int j = from + 1; j < to; j++) {
        int v = a[j];
        int k = j - 1;
        while (k >= from && c.compare(a[k], v) > 0) {
          a[k + 1] = a[k];
          k--;
        }
        a[k + 1] = v;
      }
      return;
    }
    Integer[] boxed = new Integer[to - from];
    for (int i = from; i < to; i++) {
      boxed[i - from] = a[i];
    }
    Arrays.sort(boxed, c::compare);
    for (int i = from; i < to; i++) {
      a[i] = boxed[i - from];
    }
  }
}

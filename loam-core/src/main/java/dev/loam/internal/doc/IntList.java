package dev.loam.internal.doc;

import java.util.Arrays;

/** A growable list of ints. */
final class IntList {
  private int[] a = new int[16];
  private int n;

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = v;
  }

  int get(int i) {
    return a[i];
  }

  int size() {
    return n;
  }

  boolean isEmpty() {
    return n == 0;
  }

  /** The backing array, valid up to {@link #size()}; changes with it until the next {@link #add}. */
  int[] array() {
    return a;
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}

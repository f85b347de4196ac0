package dev.loam.internal.doc;

import java.util.Arrays;

/**
 * A small growable list of op rows, kept sorted by op id by its users, with how many of them are
 * currently visible (kept by {@link OpSet}), so that finding a key's current values can stop
 * early instead of scanning every value the key ever had.
 */
final class Rows {
  int[] a;
  int n;
  int visible;

  Rows(int first) {
    a = new int[] {first, 0};
    n = 1;
  }

  private Rows(int[] a, int n, int visible) {
    this.a = a;
    this.n = n;
    this.visible = visible;
  }

  Rows copy() {
    return new Rows(a.clone(), n, visible);
  }

  int get(int i) {
    return a[i];
  }

  void insert(int i, int row) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    System.arraycopy(a, i, a, i + 1, n - i);
    a[i] = row;
    n++;
  }
}

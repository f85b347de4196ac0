package dev.loam.typed;

import java.util.ArrayList;
import java.util.List;

/**
 * The shortest edit script between two sequences: which elements of the old one to keep, delete,
 * and which of the new one to insert, in order.
 *
 * <p>Implementation notes. Myers' greedy O((N+M)·D) algorithm ("An O(ND) Difference Algorithm and
 * Its Variations", Algorithmica 1986) on what remains after trimming the common prefix and suffix,
 * keeping one diagonal array per edit distance for the backtrack (O(D²) memory). Beyond
 * {@link #MAX_EDITS} edits the middle is replaced wholesale (delete all, insert all): still a
 * correct script, only no longer minimal, and bounded in time and memory.
 */
final class Diff {
  static final byte KEEP = 0;
  static final byte DELETE = 1;
  static final byte INSERT = 2;
  static final int MAX_EDITS = 2_000;

  /** Whether old element {@code i} and new element {@code j} are the same element. */
  interface Same {
    boolean same(int i, int j);
  }

  private Diff() {}

  /** The script turning {@code n} old elements into {@code m} new ones: a {@link #KEEP}, {@link #DELETE} or {@link #INSERT} per step. */
  static byte[] script(int n, int m, Same same) {
    int prefix = 0;
    while (prefix < n && prefix < m && same.same(prefix, prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && same.same(n - 1 - suffix, m - 1 - suffix)) {
      suffix++;
    }
    int p = prefix;
    byte[] middle = middle(n - prefix - suffix, m - prefix - suffix, (i, j) -> same.same(p + i, p + j));
    byte[] out = new byte[prefix + middle.length + suffix];
    System.arraycopy(middle, 0, out, prefix, middle.length);
    return out; // KEEP is 0: the prefix and suffix are already there
  }

  private static byte[] middle(int n, int m, Same same) {
    int max = n + m;
    if (n == 0 || m == 0) {
      return wholesale(n, m);
    }
    int off = max + 1;
    int[] v = new int[2 * max + 3];
    List<int[]> snapshots = new ArrayList<>();
    int found = -1;
    for (int d = 0; d <= Math.min(max, MAX_EDITS) && found < 0; d++) {
      for (int k = -d; k <= d; k += 2) {
        int x = k == -d || (k != d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && same.same(x, y)) {
          x++;
          y++;
        }
        v[off + k] = x;
        if (x >= n && y >= m) {
          found = d;
        }
      }
      int[] snap = new int[2 * d + 1];
      System.arraycopy(v, off - d, snap, 0, snap.length);
      snapshots.add(snap);
    }
    if (found < 0) {
      return wholesale(n, m);
    }
    byte[] reversed = new byte[n + m];
    int len = 0;
    int x = n;
    int y = m;
    for (int d = found; d > 0; d--) {
      int[] prev = snapshots.get(d - 1);
      int k = x - y;
      boolean down = k == -d || (k != d && at(prev, d - 1, k - 1) < at(prev, d - 1, k + 1));
      int prevK = down ? k + 1 : k - 1;
      int prevX = at(prev, d - 1, prevK);
      int prevY = prevX - prevK;
      int startX = down ? prevX : prevX + 1;
      while (x > startX) {
        reversed[len++] = KEEP;
        x--;
        y--;
      }
      reversed[len++] = down ? INSERT : DELETE;
      x = prevX;
      y = prevY;
    }
    while (x > 0) {
      reversed[len++] = KEEP;
      x--;
    }
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = reversed[len - 1 - i];
    }
    return out;
  }

  private static int at(int[] snapshot, int d, int k) {
    return snapshot[k + d];
  }

  private static byte[] wholesale(int n, int m) {
    byte[] out = new byte[n + m];
    java.util.Arrays.fill(out, 0, n, DELETE);
    java.util.Arrays.fill(out, n, n + m, INSERT);
    return out;
  }
}

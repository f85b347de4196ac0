package dev.loam.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link Diff} against a naive model: its script turns the old sequence into the new one and keeps as many elements as their longest common subsequence. */
class DiffTest {
  @TestFactory
  Stream<DynamicTest> theScriptIsValidAndKeepsALongestCommonSubsequence() {
    return Seeds.tests("diff", seed -> {
      Random rnd = new Random(seed);
      int[] a = random(rnd, rnd.nextInt(30));
      int[] b = random(rnd, rnd.nextInt(30));
      byte[] script = Diff.script(a.length, b.length, (i, j) -> a[i] == b[j]);
      assertEquals(toList(b), apply(a, b, script));
      assertEquals(lcs(a, b), count(script, Diff.KEEP));
    });
  }

  @Test
  void beyondTheEditLimitTheMiddleIsReplacedWholesaleAndTheScriptStaysValid() {
    int n = Diff.MAX_EDITS + 10;
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = 2 * i; // nothing in common but the ends
      b[i] = 2 * i + 1;
    }
    a[0] = b[0] = -1;
    byte[] script = Diff.script(n, n, (i, j) -> a[i] == b[j]);
    assertEquals(toList(b), apply(a, b, script));
    assertEquals(1, count(script, Diff.KEEP));
  }

  private static int[] random(Random rnd, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = rnd.nextInt(4); // a small alphabet: many equal elements
    }
    return out;
  }

  private static List<Integer> apply(int[] a, int[] b, byte[] script) {
    List<Integer> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    for (byte step : script) {
      switch (step) {
        case Diff.KEEP -> {
          assertEquals(a[i], b[j], "a kept element is the same in both");
          out.add(a[i++]);
          j++;
        }
        case Diff.DELETE -> i++;
        default -> out.add(b[j++]);
      }
    }
    assertEquals(a.length, i, "every old element is kept or deleted");
    return out;
  }

  private static int lcs(int[] a, int[] b) {
    int[][] t = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        t[i][j] = a[i] == b[j] ? 1 + t[i + 1][j + 1] : Math.max(t[i + 1][j], t[i][j + 1]);
      }
    }
    return t[0][0];
  }

  private static int count(byte[] script, byte kind) {
    int n = 0;
    for (byte s : script) {
      n += s == kind ? 1 : 0;
    }
    return n;
  }

  private static List<Integer> toList(int[] xs) {
    List<Integer> out = new ArrayList<>();
    for (int x : xs) {
      out.add(x);
    }
    return out;
  }
}

package dev.loam.internal.json;

import java.math.BigDecimal;

/**
 * Formats doubles exactly as ECMAScript's {@code Number::toString} (radix 10) does.
 *
 * <p>Implementation notes. ECMAScript picks the shortest decimal {@code s × 10^(n−k)} (k digits)
 * that rounds to the double, the closest such one if several, the even one on a tie; then lays it
 * out by {@code n}: plain digits with trailing zeros while {@code k ≤ n ≤ 21}, a decimal point
 * inside the digits while {@code 0 < n ≤ 21}, {@code 0.000ddd} while {@code −6 < n ≤ 0}, and
 * exponential form ({@code 1e+21}, {@code 1.5e-7}) otherwise. Since JDK 19 {@link
 * Double#toString(double)} returns the same shortest-closest digits with one exception: when a
 * single digit would do, Java picks the closest <em>two</em>-digit decimal ({@code 4.9E-324}
 * where JS prints {@code 5e-324}). We take Java's digits, and when they are two, look for the
 * closest one-digit decimal that still rounds to the same double.
 */
public final class JsNumber {
  private JsNumber() {}

  /** {@code x} as JavaScript's {@code String(x)} prints it, e.g. {@code 1e+21}, {@code 0.1}, {@code -5e-324}, {@code NaN}. */
  public static String toString(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    if (x == 0) {
      return "0"; // also -0
    }
    StringBuilder sb = new StringBuilder(24);
    if (x < 0) {
      sb.append('-');
      x = -x;
    }
    Decimal d = shortest(x);
    layout(sb, d.digits, d.n);
    return sb.toString();
  }

  /** The value {@code 0.digits × 10^n}: {@code digits} has no leading or trailing zero. */
  private record Decimal(String digits, int n) {}

  private static Decimal shortest(double x) {
    Decimal d = parseJava(Double.toString(x));
    if (d.digits.length() == 2) {
      Decimal one = closestOneDigit(x, d);
      if (one != null) {
        return one;
      }
    }
    return d;
  }

  /** Reads Java's {@code 123.45} or {@code 1.2345E-7} into digits and ECMAScript's {@code n}. */
  private static Decimal parseJava(String s) {
    int e = s.indexOf('E');
    int exp = 0;
    String mantissa = s;
    if (e >= 0) {
      exp = Integer.parseInt(s.substring(e + 1));
      mantissa = s.substring(0, e);
    }
    int dot = mantissa.indexOf('.');
    String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
    String fracPart = dot < 0 ? "" : mantissa.substring(dot + 1);
    String all = intPart + fracPart;
    int n = intPart.length() + exp; // value = 0.all × 10^n
    int lead = 0;
    while (lead < all.length() - 1 && all.charAt(lead) == '0') {
      lead++;
    }
    n -= lead;
    int end = all.length();
    while (end > lead + 1 && all.charAt(end - 1) == '0') {
      end--;
    }
    return new Decimal(all.substring(lead, end), n);
  }

  /**
   * Among one-digit decimals near {@code twoDigits} (digit × 10^(n−1) for the same n, and
   * 1 × 10^n, and 9 × 10^(n−2)), the one that rounds to {@code x} and is closest to it; ties go
   * to the even digit. Null if none rounds to {@code x}.
   */
  private static Decimal closestOneDigit(double x, Decimal twoDigits) {
    BigDecimal exact = new BigDecimal(x);
    Decimal best = null;
    BigDecimal bestDistance = null;
    int n = twoDigits.n;
    for (int shift = -1; shift <= 1; shift++) {
      int m = n + shift;
      for (int digit = 1; digit <= 9; digit++) {
        String text = digit + "E" + (m - 1);
        if (Double.parseDouble(text) != x) {
          continue;
        }
        BigDecimal distance = new BigDecimal(text).subtract(exact).abs();
        int cmp = bestDistance == null ? -1 : distance.compareTo(bestDistance);
        if (cmp < 0 || (cmp == 0 && digit % 2 == 0)) {
          best = new Decimal(Integer.toString(digit), m);
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private static void layout(StringBuilder sb, String digits, int n) {
    int k = digits.length();
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.repeat('0', n - k);
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.");
      sb.repeat('0', -n);
      sb.append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      int e = n - 1;
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}

package dev.loam;

import java.util.Comparator;

/**
 * The order of a map's keys in a document: by Unicode code point, which is the order of their
 * UTF-8 bytes, as Automerge sorts them (not {@link String#compareTo}, which compares UTF-16 units
 * and puts U+E000..U+FFFF after supplementary characters). {@link ReadDoc#keys} lists keys in this
 * order; use it to write or compare keys the same way. Stateless and thread-safe.
 */
public final class KeyOrder {
  /** Compares map keys in document order. */
  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  private KeyOrder() {}

  /** Negative, zero or positive as {@code a} comes before, with or after {@code b} in document order. */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}

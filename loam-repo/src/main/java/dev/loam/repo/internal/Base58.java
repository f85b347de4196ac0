package dev.loam.repo.internal;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet: a byte string as a big-endian base-58 number, each leading
 * zero byte written as one leading {@code '1'}. Document ids and URL heads use it with a checksum
 * ({@code dev.loam.repo.id.Base58Check}), member ids of secure documents ({@code dev.loam.secure})
 * with theirs.
 *
 * <p>Implementation notes: the inputs are at most a few dozen bytes, so the quadratic schoolbook
 * division of the number held in a byte array (by 58 to encode, by 256 to decode) is fast; with
 * {@code BigInteger} it was most of the time of reading 100,000 ids. Stateless and thread-safe.
 */
public final class Base58 {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEXES[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /** {@code bytes} in base58; an empty array gives the empty string. */
  public static String encode(byte[] bytes) {
    int zeros = 0;
    while (zeros < bytes.length && bytes[zeros] == 0) {
      zeros++;
    }
    byte[] n = bytes.clone(); // the number, big-endian, divided by 58 in place
    char[] out = new char[bytes.length * 2]; // log(256) / log(58) < 1.37 digits per byte
    int at = out.length;
    for (int start = zeros; start < n.length; ) {
      int rem = 0;
      for (int i = start; i < n.length; i++) {
        int v = (rem << 8) | (n[i] & 0xff);
        n[i] = (byte) (v / 58);
        rem = v % 58;
      }
      out[--at] = ALPHABET.charAt(rem);
      while (start < n.length && n[start] == 0) {
        start++;
      }
    }
    for (int i = 0; i < zeros; i++) {
      out[--at] = '1';
    }
    return new String(out, at, out.length - at);
  }

  /** The bytes {@code text} encodes (none for the empty string), or null if a character is outside the alphabet. */
  public static byte @Nullable [] decode(String text) {
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    byte[] n = new byte[text.length()]; // the digits, big-endian, divided by 256 in place
    for (int i = 0; i < text.length(); i++) {
      int digit = digit(text.charAt(i));
      if (digit < 0) {
        return null;
      }
      n[i] = (byte) digit;
    }
    byte[] out = new byte[text.length()];
    int at = out.length;
    for (int start = zeros; start < n.length; ) {
      int rem = 0;
      for (int i = start; i < n.length; i++) {
        int v = rem * 58 + (n[i] & 0xff);
        n[i] = (byte) (v >>> 8);
        rem = v & 0xff;
      }
      out[--at] = (byte) rem;
      while (start < n.length && n[start] == 0) {
        start++;
      }
    }
    byte[] whole = new byte[zeros + out.length - at];
    System.arraycopy(out, at, whole, zeros, out.length - at);
    return whole;
  }

  /** The index of the first character of {@code text} outside the alphabet, or -1 if there is none. */
  public static int firstInvalid(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (digit(text.charAt(i)) < 0) {
        return i;
      }
    }
    return -1;
  }

  private static int digit(char c) {
    return c < 128 ? INDEXES[c] : -1;
  }
}

package dev.loam.repo.id;

import org.jspecify.annotations.Nullable;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Base58check as Bitcoin defines it and automerge-repo uses it for document ids and URL heads:
 * the Bitcoin-alphabet base58 of {@code payload ‖ SHA256(SHA256(payload))[0..4]}.
 *
 * <pre>
 * +-----------------+-----------------------------+
 * | payload (n)     | checksum (4)                |
 * |                 | = sha256(sha256(payload))[:4]|
 * +-----------------+-----------------------------+
 *   each leading 0x00 byte of the whole is written as one leading '1'
 * </pre>
 *
 * <p>Implementation notes: the ids are at most a few dozen bytes, so the quadratic schoolbook
 * division of the number held in a byte array (by 58 to encode, by 256 to decode) is fast; with
 * {@code BigInteger} it was most of the time of reading 100,000 ids. Stateless and thread-safe.
 */
final class Base58Check {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEXES[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58Check() {}

  static String encode(byte[] payload) {
    byte[] whole = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(checksum(payload), 0, whole, payload.length, 4);
    return encodePlain(whole);
  }

  /** The payload, or null if {@code text} is not base58 or its checksum does not match. */
  static byte @Nullable [] decode(String text) {
    byte[] whole = decodePlain(text);
    if (whole == null || whole.length < 4) {
      return null;
    }
    byte[] payload = Arrays.copyOf(whole, whole.length - 4);
    byte[] expected = checksum(payload);
    for (int i = 0; i < 4; i++) {
      if (whole[payload.length + i] != expected[i]) {
        return null;
      }
    }
    return payload;
  }

  static String encodePlain(byte[] bytes) {
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

  static byte @Nullable [] decodePlain(String text) {
    if (text.isEmpty()) {
      return null;
    }
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    byte[] n = new byte[text.length()]; // the digits, big-endian, divided by 256 in place
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
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

  /** A SHA-256 digest to clone (cheaper than looking the provider up for each id). */
  private static final MessageDigest SHA256;

  static {
    try {
      SHA256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static byte[] checksum(byte[] payload) {
    MessageDigest sha;
    try {
      sha = (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException never) {
        throw new AssertionError("every JDK has SHA-256", never);
      }
    }
    byte[] once = sha.digest(payload);
    return Arrays.copyOf(sha.digest(once), 4);
  }
}

package dev.loam.repo.id;

import org.jspecify.annotations.Nullable;

import java.math.BigInteger;
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
 * <p>Implementation notes: the ids are at most a few dozen bytes, so the quadratic big-number
 * division is simpler and fast enough. Stateless and thread-safe.
 */
final class Base58Check {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
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
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, bytes);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    sb.append("1".repeat(zeros));
    return sb.reverse().toString();
  }

  static byte @Nullable [] decodePlain(String text) {
    if (text.isEmpty()) {
      return null;
    }
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    BigInteger n = BigInteger.ZERO;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        return null;
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0; // BigInteger's sign byte
    byte[] out = new byte[zeros + magnitude.length - skip];
    System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
    return out;
  }

  private static byte[] checksum(byte[] payload) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] once = sha.digest(payload);
      return Arrays.copyOf(sha.digest(once), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}

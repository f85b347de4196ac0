package dev.loam.repo.id;

import dev.loam.repo.internal.Base58;
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
 * <p>Stateless and thread-safe.
 */
final class Base58Check {
  private Base58Check() {}

  static String encode(byte[] payload) {
    byte[] whole = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(checksum(payload), 0, whole, payload.length, 4);
    return Base58.encode(whole);
  }

  /** The payload, or null if {@code text} is not base58 or its checksum does not match. */
  static byte @Nullable [] decode(String text) {
    byte[] whole = Base58.decode(text); // "" decodes to no bytes, too short for a checksum
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

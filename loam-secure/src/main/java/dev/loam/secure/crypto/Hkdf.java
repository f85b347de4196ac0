package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256: the HMAC-based extract-and-expand key derivation function of RFC 5869, over the
 * JDK's {@code HmacSHA256}. Stateless and safe to use from any thread.
 */
public final class Hkdf {
  /** The output length of SHA-256, and so of {@link #extract}, in bytes. */
  public static final int HASH_LENGTH = 32;
  /** The longest output {@link #expand} can give: 255 blocks (RFC 5869 section 2.3). */
  public static final int MAX_OUTPUT = 255 * HASH_LENGTH;

  private Hkdf() {}

  /**
   * HKDF-Extract (RFC 5869 section 2.2): a pseudorandom key of {@value #HASH_LENGTH} bytes from
   * input keying material and a salt; an empty salt stands for {@value #HASH_LENGTH} zero bytes.
   */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    return hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt).doFinal(ikm);
  }

  /**
   * HKDF-Expand (RFC 5869 section 2.3): {@code length} bytes of output keying material from a
   * pseudorandom key and context {@code info}.
   *
   * @throws CryptoException if {@code prk} is shorter than {@value #HASH_LENGTH} bytes or {@code
   *     length} is negative or above {@value #MAX_OUTPUT}
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (prk.length < HASH_LENGTH) {
      throw new CryptoException("an HKDF pseudorandom key must have at least " + HASH_LENGTH + " bytes, not " + prk.length);
    }
    if (length < 0 || length > MAX_OUTPUT) {
      throw new CryptoException("HKDF-SHA256 gives 0 to " + MAX_OUTPUT + " bytes, not " + length);
    }
    Mac mac = hmac(prk);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    for (int offset = 0, counter = 1; offset < length; offset += HASH_LENGTH, counter++) {
      mac.update(block);
      mac.update(info);
      mac.update((byte) counter);
      block = mac.doFinal();
      System.arraycopy(block, 0, out, offset, Math.min(HASH_LENGTH, length - offset));
    }
    return out;
  }

  /** Extract then expand: {@code expand(extract(salt, ikm), info, length)}. */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  /** HMAC-SHA256 keyed with {@code key} (RFC 2104), as HKDF and key commitments use it. */
  static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw Raw.failure("HMAC-SHA256", e);
    }
  }
}

package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and password-based key derivation: SHA-256 (FIPS 180-4) and PBKDF2-HMAC-SHA256 (RFC 8018
 * section 5.2), over the JDK's providers. Stateless and safe to use from any thread.
 */
public final class Digests {
  /** The length of a SHA-256 digest in bytes. */
  public static final int SHA256_LENGTH = 32;

  private Digests() {}

  /** The SHA-256 digest of {@code data}. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw Raw.failure("SHA-256", e);
    }
  }

  /**
   * PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2): {@code length} bytes derived from a password
   * (its characters taken as UTF-8), a salt and an iteration count. The password array is not
   * modified; the caller clears it when done.
   *
   * @throws CryptoException if the salt is empty, or the iteration count or length is not positive
   */
  public static byte[] pbkdf2HmacSha256(char[] password, byte[] salt, int iterations, int length) {
    if (salt.length == 0) {
      throw new CryptoException("PBKDF2 needs a non-empty salt");
    }
    if (iterations < 1 || length < 1) {
      throw new CryptoException("PBKDF2 needs a positive iteration count and length, not " + iterations + " and " + length);
    }
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, Math.multiplyExact(length, 8));
    try {
      byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return Arrays.copyOf(key, length);
    } catch (GeneralSecurityException e) {
      throw Raw.failure("PBKDF2-HMAC-SHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}

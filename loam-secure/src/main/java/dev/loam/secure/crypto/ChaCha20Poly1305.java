package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305: the authenticated encryption with associated data of RFC 8439 section 2.8,
 * over the JDK's {@code ChaCha20-Poly1305} cipher. Stateless and safe to use from any thread; the
 * caller must never seal two messages under the same key and nonce.
 */
public final class ChaCha20Poly1305 {
  /** The key length in bytes. */
  public static final int KEY_LENGTH = 32;
  /** The nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;
  /** The length of the authentication tag appended to every ciphertext, in bytes. */
  public static final int TAG_LENGTH = 16;

  private ChaCha20Poly1305() {}

  /**
   * Encrypts and authenticates {@code plaintext} and authenticates {@code aad}; returns the
   * ciphertext followed by the 16-byte tag (RFC 8439 section 2.8).
   *
   * @throws CryptoException if the key or nonce has the wrong length
   */
  public static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      return cipher(Cipher.ENCRYPT_MODE, key, nonce, aad).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw Raw.failure("ChaCha20-Poly1305 encryption", e);
    }
  }

  /**
   * Checks and decrypts what {@link #seal} gave (ciphertext followed by tag) under the same key,
   * nonce and associated data.
   *
   * @throws AuthenticationException if anything of it, the nonce, the associated data or the key
   *     differs (no plaintext is released)
   * @throws CryptoException if the key or nonce has the wrong length
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    Cipher cipher;
    try {
      cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, aad);
    } catch (GeneralSecurityException e) {
      throw Raw.failure("ChaCha20-Poly1305 decryption", e);
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new AuthenticationException(
          "a ChaCha20-Poly1305 ciphertext has at least " + TAG_LENGTH + " bytes, not " + ciphertext.length, null);
    }
    try {
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new AuthenticationException("ChaCha20-Poly1305: the ciphertext does not authenticate", e);
    } catch (GeneralSecurityException e) {
      throw Raw.failure("ChaCha20-Poly1305 decryption", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
    byte[] k = Raw.exact(key, KEY_LENGTH, "a ChaCha20-Poly1305 key");
    byte[] n = Raw.exact(nonce, NONCE_LENGTH, "a ChaCha20-Poly1305 nonce");
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(mode, new SecretKeySpec(k, "ChaCha20"), new IvParameterSpec(n));
    cipher.updateAAD(aad);
    return cipher;
  }
}

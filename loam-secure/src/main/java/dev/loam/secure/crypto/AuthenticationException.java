package dev.loam.secure.crypto;

import org.jspecify.annotations.Nullable;

/**
 * Data failed its integrity check: an AEAD ciphertext, tag, nonce or associated data that was
 * tampered with or opened under the wrong key. Nothing of the plaintext is released.
 */
public final class AuthenticationException extends CryptoException {
  /** A check that failed as {@code message} says, caused by {@code cause} if any. */
  public AuthenticationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}

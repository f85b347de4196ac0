package dev.loam.secure.crypto;

import dev.loam.LoamException;

/**
 * A cryptographic operation failed: malformed key or input bytes, a provider error, or (as the
 * subclass {@link AuthenticationException}) data that does not authenticate.
 */
public class CryptoException extends LoamException {
  /** A failure described by {@code message}. */
  public CryptoException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}

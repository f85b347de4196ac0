package dev.loam.secure.crypto;

import dev.loam.LoamException;

/**
 * A cryptographic operation failed: malformed key or input bytes, a provider error, or (as the
 * subclass {@link AuthenticationException}) data that does not authenticate.
 */
public class CryptoException extends LoamException {
  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}

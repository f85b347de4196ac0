package dev.loam.secure;

import dev.loam.LoamException;

/**
 * An envelope that does not open into valid content for this reader: wrong key (caught by the key
 * commitment), damaged ciphertext, malformed plaintext, or changes not bound to the envelope's
 * author. Nothing of such an envelope is applied. The message names the rule, never content.
 */
public final class EnvelopeOpenException extends LoamException {
  private static final long serialVersionUID = 1L;

  /** An envelope that cannot be opened, for the rule {@code message} names. */
  public EnvelopeOpenException(String message) {
    super(message);
  }

  /** As {@link #EnvelopeOpenException(String)}, caused by {@code cause}. */
  public EnvelopeOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.loam.secure;

/** Bytes that are not a well-formed, correctly signed {@link SecureItem}; the message says what is wrong. */
public final class MalformedItemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An item that does not decode, as {@code message} says. */
  public MalformedItemException(String message) {
    super(message);
  }

  /** An item that does not decode, as {@code message} says, caused by {@code cause}. */
  public MalformedItemException(String message, Throwable cause) {
    super(message, cause);
  }
}

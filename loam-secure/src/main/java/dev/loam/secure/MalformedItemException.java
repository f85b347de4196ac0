package dev.loam.secure;

/** Bytes that are not a well-formed, correctly signed {@link SecureItem}; the message says what is wrong. */
public final class MalformedItemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedItemException(String message) {
    super(message);
  }

  public MalformedItemException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.loam;

/** The root of every exception Loam throws; unchecked, so callers catch only what they can handle. */
public class LoamException extends RuntimeException {
  /** A failure described by {@code message}. */
  public LoamException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public LoamException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.loam;

/** The root of every exception Loam throws; unchecked, so callers catch only what they can handle. */
public class LoamException extends RuntimeException {
  public LoamException(String message) {
    super(message);
  }

  public LoamException(String message, Throwable cause) {
    super(message, cause);
  }
}

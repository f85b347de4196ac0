package dev.loam;

/** An operation that does not apply to the document as it is: a missing object, an index out of bounds, a wrong type. */
public class InvalidOperationException extends LoamException {
  /** An operation the document refuses, said in {@code message}. */
  public InvalidOperationException(String message) {
    super(message);
  }
}

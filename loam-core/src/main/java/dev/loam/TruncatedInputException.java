package dev.loam;

/**
 * Input that ends inside a chunk: the bytes before {@link #completeLength()} were complete chunks,
 * the rest is a torn write.
 */
public class TruncatedInputException extends DecodeException {
  private final long completeLength;

  /** Input that ends inside a chunk at {@code offset}; the first {@code completeLength} bytes were whole chunks. */
  public TruncatedInputException(long offset, String expected, long completeLength) {
    super(offset, expected);
    this.completeLength = completeLength;
  }

  /** How many leading bytes of the input form complete chunks. */
  public long completeLength() {
    return completeLength;
  }
}

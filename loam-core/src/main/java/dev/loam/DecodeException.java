package dev.loam;

/**
 * Bytes that are not a valid Automerge encoding: carries the byte offset at which decoding failed
 * and what was expected there. A failed decode never changes the document it was meant for.
 */
public class DecodeException extends LoamException {
  private final long offset;
  private final String expected;

  /** Input that fails at byte {@code offset}, where {@code expected} was due. */
  public DecodeException(long offset, String expected) {
    super("at byte " + offset + ": " + expected);
    this.offset = offset;
    this.expected = expected;
  }

  /** As {@link #DecodeException(long, String)}, caused by {@code cause}. */
  public DecodeException(long offset, String expected, Throwable cause) {
    super("at byte " + offset + ": " + expected, cause);
    this.offset = offset;
    this.expected = expected;
  }

  /** The offset, from the start of the input given to the decoder, where decoding failed; -1 if unknown. */
  public long offset() {
    return offset;
  }

  /** What the decoder expected at {@link #offset()}. */
  public String expected() {
    return expected;
  }
}

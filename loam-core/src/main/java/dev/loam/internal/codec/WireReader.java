package dev.loam.internal.codec;

import dev.loam.DecodeException;

/**
 * A public face of {@link ByteReader} for Loam's other wire formats (sync messages, sync states,
 * frames): bounds-checked bytes and canonical LEB128 with absolute offsets in every error. Not
 * thread-safe; one reader per decode.
 */
public final class WireReader {
  private final ByteReader in;

  private WireReader(ByteReader in) {
    this.in = in;
  }

  public static WireReader of(byte[] bytes) {
    return new WireReader(ByteReader.of(bytes));
  }

  /** A reader over {@code bytes[from, to)} whose byte {@code from} is reported at absolute offset {@code absoluteFrom}. */
  public static WireReader of(byte[] bytes, int from, int to, long absoluteFrom) {
    return new WireReader(ByteReader.of(bytes, from, to, absoluteFrom));
  }

  public long offset() {
    return in.offset();
  }

  public int remaining() {
    return in.remaining();
  }

  public boolean atEnd() {
    return in.atEnd();
  }

  public int readByte() {
    return in.readByte();
  }

  /** A canonical unsigned LEB128 that must lie in {@code [min, max]}. */
  public long readUleb(long min, long max, String what) {
    return in.readUleb(min, max, what);
  }

  /** A uLEB128 length no greater than the bytes left. */
  public int readLength(String what) {
    return in.readLength(what);
  }

  public byte[] readBytes(long length, String what) {
    return in.readBytes(length, what);
  }

  /** Splits off the next {@code length} bytes as their own reader (offsets stay absolute). */
  public WireReader slice(long length, String what) {
    return new WireReader(in.slice(length, what));
  }

  public DecodeException error(String expected) {
    return in.error(expected);
  }
}

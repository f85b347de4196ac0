package dev.loam.internal.codec;

/** A public face of {@link ByteWriter} for Loam's other wire formats. Not thread-safe. */
public final class WireWriter {
  private final ByteWriter out;

  public WireWriter() {
    this(64);
  }

  public WireWriter(int capacity) {
    out = new ByteWriter(capacity);
  }

  public WireWriter writeByte(int b) {
    out.writeByte(b);
    return this;
  }

  public WireWriter write(byte[] bytes) {
    out.write(bytes);
    return this;
  }

  public WireWriter writeUleb(long value) {
    out.writeUleb(value);
    return this;
  }

  /** uLEB length, then the bytes. */
  public WireWriter writePrefixed(byte[] bytes) {
    out.writePrefixed(bytes);
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /** The uLEB128 encoding of {@code value}. */
  public static byte[] uleb(long value) {
    return Leb128.unsigned(value);
  }
}

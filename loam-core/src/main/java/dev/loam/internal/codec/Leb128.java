package dev.loam.internal.codec;

/**
 * LEB128 numbers: 7 bits per byte, least significant group first, high bit set on every byte but
 * the last. Writers always produce the shortest form; {@link ByteReader} rejects any other.
 *
 * <pre>
 *   unsigned 300  = 0b10_0101100  -> AC 02
 *   signed   -2   = ...1111110    -> 7E
 *   signed   64   = 0b1000000     -> C0 00   (bit 6 of a last byte is the sign)
 * </pre>
 */
final class Leb128 {
  private Leb128() {}

  /** Writes {@code value} (unsigned) at {@code pos}; returns the position after it. Needs 10 free bytes. */
  static int putUnsigned(byte[] buf, int pos, long value) {
    while ((value & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return pos;
  }

  /** Writes {@code value} (signed) at {@code pos}; returns the position after it. Needs 10 free bytes. */
  static int putSigned(byte[] buf, int pos, long value) {
    while (true) {
      int b = (int) (value & 0x7f);
      value >>= 7;
      boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
      if (done) {
        buf[pos++] = (byte) b;
        return pos;
      }
      buf[pos++] = (byte) (b | 0x80);
    }
  }

  static int unsignedSize(long value) {
    int n = 1;
    while ((value & ~0x7fL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  static byte[] unsigned(long value) {
    byte[] b = new byte[unsignedSize(value)];
    putUnsigned(b, 0, value);
    return b;
  }

  static byte[] signed(long value) {
    byte[] tmp = new byte[10];
    int n = putSigned(tmp, 0, value);
    return java.util.Arrays.copyOf(tmp, n);
  }
}

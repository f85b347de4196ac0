package dev.loam.secure;

import java.util.Arrays;

/**
 * Reads the decrypted plaintext of an envelope with bounds checks: every read past the end, every
 * over-long or non-minimal varint, is an {@link EnvelopeOpenException}. Not thread-safe.
 */
final class PlainReader {
  private final byte[] bytes;
  private int pos;
  private final int end;

  PlainReader(byte[] bytes, int from, int end) {
    this.bytes = bytes;
    this.pos = from;
    this.end = end;
  }

  int position() {
    return pos;
  }

  boolean atEnd() {
    return pos == end;
  }

  int remaining() {
    return end - pos;
  }

  int u8() {
    need(1);
    return bytes[pos++] & 0xff;
  }

  /** An unsigned LEB128 varint in its shortest form, at most {@code max}. */
  long uleb(long max, String what) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 63) {
        throw new EnvelopeOpenException(what + ": varint too long");
      }
      int b = u8();
      if (shift == 63 && (b & 0x7e) != 0) {
        throw new EnvelopeOpenException(what + ": varint overflows 64 bits");
      }
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new EnvelopeOpenException(what + ": varint not in its shortest form");
        }
        if (Long.compareUnsigned(value, max) > 0) {
          throw new EnvelopeOpenException(what + " " + Long.toUnsignedString(value) + " is over the limit " + max);
        }
        return value;
      }
    }
  }

  /** A signed LEB128 varint (any length up to 10 bytes). */
  void skipSleb(String what) {
    for (int i = 0; i < 10; i++) {
      if ((u8() & 0x80) == 0) {
        return;
      }
    }
    throw new EnvelopeOpenException(what + ": varint too long");
  }

  byte[] take(int n) {
    need(n);
    byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
    pos += n;
    return out;
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  private void need(int n) {
    if (n < 0 || n > end - pos) {
      throw new EnvelopeOpenException("the plaintext ends early");
    }
  }
}

package dev.loam.internal.codec;

import dev.loam.DecodeException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads bytes, LEB128 numbers and strings from a window of a byte array, checking every bound.
 *
 * <p>Offsets in errors are absolute: the window's position in the original input plus the
 * position inside the window, so a failure deep inside a column still points at the file byte.
 * Not thread-safe; one reader per decode.
 */
final class ByteReader {
  private final byte[] buf;
  private final int start;
  private final int end;
  private final long base;
  private int pos;

  private ByteReader(byte[] buf, int start, int end, long base) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.base = base;
    this.pos = start;
  }

  /** A reader over all of {@code buf}, whose byte 0 is at absolute offset 0. */
  static ByteReader of(byte[] buf) {
    return new ByteReader(buf, 0, buf.length, 0);
  }

  /** A reader over {@code buf[from, to)} whose byte {@code from} is at absolute offset {@code absoluteFrom}. */
  static ByteReader of(byte[] buf, int from, int to, long absoluteFrom) {
    return new ByteReader(buf, from, to, absoluteFrom - from);
  }

  /** The absolute offset of the next byte. */
  long offset() {
    return base + pos;
  }

  int remaining() {
    return end - pos;
  }

  boolean atEnd() {
    return pos == end;
  }

  /** The position of the next byte in the backing array. */
  int position() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  DecodeException error(String expected) {
    return new DecodeException(offset(), expected);
  }

  int readByte() {
    if (pos >= end) {
      throw error("a byte, found the end of the input");
    }
    return buf[pos++] & 0xff;
  }

  /** Splits off the next {@code length} bytes as their own reader and skips past them here. */
  ByteReader slice(long length, String what) {
    require(length, what);
    ByteReader r = new ByteReader(buf, pos, pos + (int) length, base);
    pos += (int) length;
    return r;
  }

  byte[] readBytes(long length, String what) {
    require(length, what);
    byte[] out = new byte[(int) length];
    System.arraycopy(buf, pos, out, 0, (int) length);
    pos += (int) length;
    return out;
  }

  /** Everything up to the end of the window. */
  byte[] readRest() {
    return readBytes(remaining(), "the rest");
  }

  void require(long length, String what) {
    if (length < 0 || length > end - pos) {
      throw error(what + ": " + Long.toUnsignedString(length) + " bytes, only " + (end - pos) + " left");
    }
  }

  /** An unsigned LEB128 in canonical (shortest) form, as the bits of a long. */
  long readUleb() {
    long result = 0;
    int shift = 0;
    long at = offset();
    while (true) {
      if (pos >= end) {
        throw new DecodeException(at, "a LEB128 number, found the end of the input");
      }
      int b = buf[pos++] & 0xff;
      if (shift == 63 && (b & 0x7e) != 0) {
        throw new DecodeException(at, "a LEB128 number that fits in 64 bits (too large)");
      }
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new DecodeException(at, "a LEB128 number in its shortest form (overlong)");
        }
        return result;
      }
      shift += 7;
      if (shift > 63) {
        throw new DecodeException(at, "a LEB128 number that fits in 64 bits (too large)");
      }
    }
  }

  /** An unsigned LEB128 that must lie in {@code [min, max]} (both non-negative). */
  long readUleb(long min, long max, String what) {
    return readUleb(min, max, what, "");
  }

  /**
   * As {@link #readUleb(long, long, String)} with the name {@code what + detail}, joined only for
   * the error (the readers of every column of every change call this).
   */
  long readUleb(long min, long max, String what, String detail) {
    long at = offset();
    long v = readUleb();
    if (v < min || v > max) {
      throw new DecodeException(at, what + detail + " in [" + min + ", " + max + "], found " + Long.toUnsignedString(v));
    }
    return v;
  }

  /** A uLEB128 length that must not exceed the bytes left (checked before anything is allocated). */
  int readLength(String what) {
    long at = offset();
    long v = readUleb();
    if (v < 0 || v > end - pos) {
      throw new DecodeException(at, what + " of at most " + (end - pos) + " bytes, found " + Long.toUnsignedString(v));
    }
    return (int) v;
  }

  /** A signed LEB128 in canonical form. */
  long readSleb() {
    long result = 0;
    int shift = 0;
    long at = offset();
    int prev = 0;
    while (true) {
      if (pos >= end) {
        throw new DecodeException(at, "a signed LEB128 number, found the end of the input");
      }
      int b = buf[pos++] & 0xff;
      if (shift == 63) {
        // Only the sign bit is left: the byte must be 0x00 or 0x7f, with no continuation.
        if (b != 0 && b != 0x7f) {
          throw new DecodeException(at, "a signed LEB128 number that fits in 64 bits (too large)");
        }
      }
      result |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift > 7) {
          boolean prevSign = (prev & 0x40) != 0;
          if ((b == 0 && !prevSign) || (b == 0x7f && prevSign)) {
            throw new DecodeException(at, "a signed LEB128 number in its shortest form (overlong)");
          }
        }
        if (shift < 64 && (b & 0x40) != 0) {
          result |= -1L << shift;
        }
        return result;
      }
      if (shift > 63) {
        throw new DecodeException(at, "a signed LEB128 number that fits in 64 bits (too large)");
      }
      prev = b;
    }
  }

  /** A uLEB length followed by that many bytes of strict UTF-8. */
  String readString(String what) {
    int len = readLength(what);
    return decodeUtf8(len, what);
  }

  /** The next {@code len} bytes (already bounds-checked) as strict UTF-8. */
  String decodeUtf8(int len, String what) {
    require(len, what);
    int from = pos;
    boolean ascii = true;
    for (int i = from; i < from + len; i++) {
      if (buf[i] < 0) {
        ascii = false;
        break;
      }
    }
    String s;
    if (ascii) {
      s = new String(buf, from, len, StandardCharsets.ISO_8859_1);
    } else {
      try {
        s = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(buf, from, len))
            .toString();
      } catch (CharacterCodingException e) {
        throw new DecodeException(offset(), what + " in valid UTF-8", e);
      }
    }
    pos += len;
    return s;
  }
}

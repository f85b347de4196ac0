package dev.loam.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Collects bytes in a growable array: raw bytes, LEB128 numbers and length-prefixed strings. */
final class ByteWriter {
  private byte[] buf;
  private int size;

  ByteWriter() {
    this(64);
  }

  ByteWriter(int capacity) {
    buf = new byte[Math.max(capacity, 16)];
  }

  int size() {
    return size;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) size + extra);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("output larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }

  ByteWriter writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
    return this;
  }

  ByteWriter write(byte[] bytes) {
    return write(bytes, 0, bytes.length);
  }

  ByteWriter write(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, size, len);
    size += len;
    return this;
  }

  ByteWriter write(ByteWriter other) {
    return write(other.buf, 0, other.size);
  }

  ByteWriter writeUleb(long value) {
    ensure(10);
    size = Leb128.putUnsigned(buf, size, value);
    return this;
  }

  ByteWriter writeSleb(long value) {
    ensure(10);
    size = Leb128.putSigned(buf, size, value);
    return this;
  }

  /** uLEB byte length, then the UTF-8 bytes. */
  ByteWriter writeString(String s) {
    int n = utf8Length(s);
    if (n < 0) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      writeUleb(b.length);
      return write(b);
    }
    writeUleb(n);
    return writeUtf8(s, n);
  }

  /** The UTF-8 bytes of {@code s}, without a length. */
  ByteWriter writeUtf8(String s) {
    int n = utf8Length(s);
    return n < 0 ? write(s.getBytes(StandardCharsets.UTF_8)) : writeUtf8(s, n);
  }

  /** The UTF-8 length of {@code s}, or -1 if it has surrogates (left to {@link String#getBytes}, which also handles unpaired ones). */
  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isSurrogate(c)) {
        return -1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Writes {@code s}, which has no surrogates and {@code n} UTF-8 bytes, without an intermediate array. */
  private ByteWriter writeUtf8(String s, int n) {
    ensure(n);
    int p = size;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[p++] = (byte) c;
      } else if (c < 0x800) {
        buf[p++] = (byte) (0xc0 | (c >> 6));
        buf[p++] = (byte) (0x80 | (c & 0x3f));
      } else {
        buf[p++] = (byte) (0xe0 | (c >> 12));
        buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = p;
    return this;
  }

  /** The 32 bytes of a change hash. */
  ByteWriter writeHash(dev.loam.ChangeHash h) {
    ensure(dev.loam.ChangeHash.LENGTH);
    h.copyTo(buf, size);
    size += dev.loam.ChangeHash.LENGTH;
    return this;
  }

  /** uLEB length, then the actor id's bytes. */
  ByteWriter writeActor(dev.loam.ActorId a) {
    writeUleb(a.length());
    ensure(a.length());
    a.copyTo(buf, size);
    size += a.length();
    return this;
  }

  ByteWriter writePrefixed(byte[] b) {
    writeUleb(b.length);
    return write(b);
  }

  void reset() {
    size = 0;
  }

  /** The backing array: its first {@link #size()} bytes are what was written. Valid until the next write. */
  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}

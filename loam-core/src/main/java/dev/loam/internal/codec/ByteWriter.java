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
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeUleb(b.length);
    return write(b);
  }

  /** uLEB length, then the bytes. */
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

package dev.loam.secure;

import dev.loam.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The building blocks of the op and envelope encodings: fixed-size fields, canonical unsigned
 * LEB128 varints and strictly ascending lists of fixed-size values. Package-private; not
 * thread-safe (one writer or reader per encoding).
 *
 * <p>Canonical means one encoding per value: a varint has no redundant trailing zero group, a
 * list is sorted by unsigned bytes without duplicates, and nothing follows the last field.
 */
final class Codec {
  /** The most parents, membership heads or cutoff envelopes an item may name. */
  static final int MAX_REFS = 1024;
  /** The most wraps a rotate may carry. */
  static final int MAX_WRAPS = 10_000;

  private Codec() {}

  /** Sorts and deduplicates values (by their bytes), as every encoded list is. */
  static <T extends Comparable<T>> List<T> sortedSet(Collection<T> values) {
    return List.copyOf(new java.util.TreeSet<>(values));
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Writes an encoding front to back. */
  static final class Writer {
    private byte[] buf = new byte[256];
    private int len;

    private void ensure(int extra) {
      if (len + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      }
    }

    Writer raw(byte[] bytes) {
      ensure(bytes.length);
      System.arraycopy(bytes, 0, buf, len, bytes.length);
      len += bytes.length;
      return this;
    }

    Writer raw(Bytes bytes) {
      return raw(bytes.toByteArray());
    }

    Writer u8(int value) {
      ensure(1);
      buf[len++] = (byte) value;
      return this;
    }

    Writer varint(int value) {
      int v = value;
      while ((v & ~0x7f) != 0) {
        u8((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      return u8(v);
    }

    /** A count then each value's bytes; {@code values} must already be sorted and distinct. */
    <T> Writer list(List<T> values, Function<T, Bytes> bytes) {
      varint(values.size());
      for (T v : values) {
        raw(bytes.apply(v));
      }
      return this;
    }

    /** A length then the bytes. */
    Writer blob(Bytes bytes) {
      return varint(bytes.size()).raw(bytes);
    }

    int length() {
      return len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, len);
    }
  }

  /** Reads an encoding front to back; every problem is a {@link MalformedItemException}. */
  static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes, int start) {
      this.bytes = bytes;
      this.pos = start;
    }

    int position() {
      return pos;
    }

    int remaining() {
      return bytes.length - pos;
    }

    byte[] fixed(int n, String what) {
      if (n > remaining()) {
        throw new MalformedItemException("truncated: " + what + " needs " + n + " bytes, " + remaining() + " left");
      }
      byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
      pos += n;
      return out;
    }

    int u8(String what) {
      return fixed(1, what)[0] & 0xff;
    }

    /** A canonical varint no greater than {@code max}. */
    int varint(int max, String what) {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        if (shift > 28) {
          throw new MalformedItemException(what + ": varint too long");
        }
        int b = u8(what);
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw new MalformedItemException(what + ": varint not in its shortest form");
          }
          break;
        }
      }
      if (value > max) {
        throw new MalformedItemException(what + ": " + value + " is over the limit of " + max);
      }
      return (int) value;
    }

    /** A count (at most {@code max}) of fixed-size values, strictly ascending by their bytes. */
    List<Bytes> sortedList(int max, int size, String what) {
      int n = varint(max, what + " count");
      if ((long) n * size > remaining()) {
        throw new MalformedItemException("truncated: " + n + " " + what + " do not fit in " + remaining() + " bytes");
      }
      List<Bytes> out = new ArrayList<>(n);
      Bytes previous = null;
      for (int i = 0; i < n; i++) {
        Bytes b = Bytes.wrap(fixed(size, what));
        if (previous != null && previous.compareTo(b) >= 0) {
          throw new MalformedItemException(what + " are not strictly ascending (sorted, no duplicates)");
        }
        out.add(b);
        previous = b;
      }
      return out;
    }

    Bytes blob(int max, String what) {
      return Bytes.wrap(fixed(varint(max, what + " length"), what));
    }

    void end(String what) {
      if (remaining() != 0) {
        throw new MalformedItemException(what + ": " + remaining() + " bytes after the end");
      }
    }
  }
}

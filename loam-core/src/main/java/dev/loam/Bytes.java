package dev.loam;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.Base64;

/** An immutable byte string, so that records holding bytes have value semantics. */
public final class Bytes implements Comparable<Bytes> {
  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Wraps {@code bytes} without copying; the caller must never change them afterwards. */
  public static Bytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes);
  }

  /** The bytes that {@code hex} writes as hex digits (either case); IllegalArgumentException if it is not hex. */
  public static Bytes fromHex(String hex) {
    return wrap(Hex.decode(hex));
  }

  /** The number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** The byte at {@code index}. */
  public byte get(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes themselves, not a copy: for Loam's own codecs, which never write to them. */
  byte[] unsafeArray() {
    return bytes;
  }

  /** The bytes as lowercase hex. */
  public String hex() {
    return Hex.encode(bytes);
  }

  /** The bytes in standard Base64 with padding. */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}

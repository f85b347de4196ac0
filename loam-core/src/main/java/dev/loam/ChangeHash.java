package dev.loam;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/** The SHA-256 hash of a change chunk, which identifies the change; printed as lowercase hex. */
public final class ChangeHash implements Comparable<ChangeHash> {
  /** The length of a hash in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  private ChangeHash(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The hash with these 32 bytes (copied); IllegalArgumentException for another length. */
  public static ChangeHash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a change hash has 32 bytes, not " + bytes.length);
    }
    return new ChangeHash(bytes.clone());
  }

  /** Wraps 32 bytes without copying: for codecs that own a fresh array. */
  static ChangeHash wrap(byte[] bytes) {
    return new ChangeHash(bytes);
  }

  /** Parses 64 hex digits (either case, surrounding white space ignored); IllegalArgumentException if it is not a hash. */
  public static ChangeHash fromHex(String hex) {
    String h = hex.strip();
    if (h.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a change hash is 64 hex digits: \"" + hex + "\"");
    }
    return new ChangeHash(Hex.decode(h));
  }

  /** A copy of the 32 bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code dst} at {@code offset}, without allocating. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  byte[] unsafeArray() {
    return bytes;
  }

  /** The hash as 64 lowercase hex digits, as Automerge prints it. */
  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public int compareTo(ChangeHash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ChangeHash c && hash == c.hash && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}

package dev.loam;

import org.jspecify.annotations.Nullable;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Identifies one writer of a document: any byte string, by default 16 random bytes, printed as
 * lowercase hex. Ordered by its bytes, unsigned, as Automerge orders actors.
 */
public final class ActorId implements Comparable<ActorId> {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private final int hash;

  private ActorId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** 16 random bytes from a secure random source. */
  public static ActorId random() {
    return random(RANDOM);
  }

  /** 16 bytes from {@code random}: pass a seeded generator for reproducible tests. */
  public static ActorId random(RandomGenerator random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return new ActorId(b);
  }

  /** The actor with these bytes (copied). */
  public static ActorId of(byte[] bytes) {
    return new ActorId(bytes.clone());
  }

  /** Parses hex in either case. */
  public static ActorId fromHex(String hex) {
    try {
      return new ActorId(Hex.decode(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an actor id: " + e.getMessage(), e);
    }
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes themselves: for Loam's codecs, which never write to them. */
  byte[] unsafeArray() {
    return bytes;
  }

  /** Copies the bytes ({@link #length()} of them) into {@code dst} at {@code offset}, without allocating. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, bytes.length);
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The bytes as lowercase hex, as Automerge prints actor ids. */
  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public int compareTo(ActorId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ActorId a && hash == a.hash && Arrays.equals(bytes, a.bytes);
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

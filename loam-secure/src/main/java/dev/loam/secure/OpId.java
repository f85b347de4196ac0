package dev.loam.secure;

import dev.loam.Bytes;

/**
 * The id of a membership op: the SHA-256 of its signed encoding (32 bytes). The id of a document's
 * genesis op also names the document's first epoch; a rotate op's id names the epoch it opens.
 * Immutable.
 */
public record OpId(Bytes bytes) implements Comparable<OpId> {
  /** The length of an id in bytes. */
  public static final int LENGTH = 32;

  public OpId {
    if (bytes.size() != LENGTH) {
      throw new IllegalArgumentException("an op id has " + LENGTH + " bytes, not " + bytes.size());
    }
  }

  /** The id with these 32 bytes (copied). */
  public static OpId of(byte[] bytes) {
    return new OpId(Bytes.of(bytes));
  }

  @Override
  public int compareTo(OpId other) {
    return bytes.compareTo(other.bytes);
  }

  @Override
  public String toString() {
    return bytes.hex();
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import java.security.SecureRandom;

/** The id of an envelope: 32 random bytes chosen by its author. Immutable. */
public record EnvelopeId(Bytes bytes) implements Comparable<EnvelopeId> {
  /** The length of an id in bytes. */
  public static final int LENGTH = 32;

  public EnvelopeId {
    if (bytes.size() != LENGTH) {
      throw new IllegalArgumentException("an envelope id has " + LENGTH + " bytes, not " + bytes.size());
    }
  }

  /** The id with these 32 bytes (copied). */
  public static EnvelopeId of(byte[] bytes) {
    return new EnvelopeId(Bytes.of(bytes));
  }

  /** A fresh random id. */
  public static EnvelopeId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new EnvelopeId(Bytes.wrap(b));
  }

  @Override
  public int compareTo(EnvelopeId other) {
    return bytes.compareTo(other.bytes);
  }

  @Override
  public String toString() {
    return bytes.hex();
  }
}

package dev.loam.secure.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/** Byte-level helpers of the primitives: length checks, little-endian integers, fixed key seeds. */
final class Raw {
  private Raw() {}

  /** Returns a copy of {@code bytes}, or throws a {@link CryptoException} naming {@code what} if its length is not {@code length}. */
  static byte[] exact(byte[] bytes, int length, String what) {
    if (bytes.length != length) {
      throw new CryptoException(what + " must be " + length + " bytes, not " + bytes.length);
    }
    return bytes.clone();
  }

  /** The unsigned integer whose little-endian encoding is {@code bytes}. */
  static BigInteger fromLittleEndian(byte[] bytes) {
    byte[] bigEndian = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bigEndian[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  /** The {@code length}-byte little-endian encoding of a non-negative {@code value} that fits. */
  static byte[] toLittleEndian(BigInteger value, int length) {
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[length];
    for (int i = 0; i < bigEndian.length && i < length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  /** Wraps a provider failure in a {@link CryptoException} saying what was being done. */
  static CryptoException failure(String doing, GeneralSecurityException cause) {
    return new CryptoException(doing + " failed: " + cause.getMessage(), cause);
  }

  /**
   * A random source that hands out one fixed byte string, exactly once: given to a JDK key-pair
   * generator, it makes the generator derive the key pair of a known private key (the JDK has no
   * other public way to compute an Ed25519 or X25519 public key from the private one).
   */
  static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private boolean used;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (used || out.length != bytes.length) {
        throw new IllegalStateException("a fixed key source gives exactly " + bytes.length + " bytes, once");
      }
      used = true;
      System.arraycopy(bytes, 0, out, 0, out.length);
      Arrays.fill(bytes, (byte) 0);
    }
  }
}

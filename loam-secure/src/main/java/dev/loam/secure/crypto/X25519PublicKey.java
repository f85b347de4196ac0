package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * An X25519 public key: the 32-byte little-endian u-coordinate of RFC 7748 section 5. Immutable and
 * safe to share between threads.
 */
public final class X25519PublicKey {
  /** The length of the encoded key in bytes. */
  public static final int LENGTH = 32;

  private final byte[] encoded;
  private final PublicKey jdkKey;

  private X25519PublicKey(byte[] encoded, PublicKey jdkKey) {
    this.encoded = encoded;
    this.jdkKey = jdkKey;
  }

  /**
   * Reads a 32-byte u-coordinate. As RFC 7748 section 5 requires, the top bit is ignored; the key
   * keeps the bytes as given.
   *
   * @throws CryptoException if the length is wrong
   */
  public static X25519PublicKey fromBytes(byte[] encoded) {
    byte[] copy = Raw.exact(encoded, LENGTH, "an X25519 public key");
    byte[] masked = copy.clone();
    masked[LENGTH - 1] &= 0x7f;
    try {
      XECPublicKeySpec spec = new XECPublicKeySpec(NamedParameterSpec.X25519, Raw.fromLittleEndian(masked));
      return new X25519PublicKey(copy, KeyFactory.getInstance("X25519").generatePublic(spec));
    } catch (GeneralSecurityException e) {
      throw Raw.failure("reading an X25519 public key", e);
    }
  }

  PublicKey jdkKey() {
    return jdkKey;
  }

  /** The 32-byte encoding (a copy). */
  public byte[] toBytes() {
    return encoded.clone();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof X25519PublicKey key && Arrays.equals(encoded, key.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "X25519PublicKey[" + HexFormat.of().formatHex(encoded) + "]";
  }
}

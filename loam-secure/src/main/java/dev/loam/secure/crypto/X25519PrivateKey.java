package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import javax.crypto.KeyAgreement;

/**
 * An X25519 private key: a 32-byte scalar for Diffie-Hellman on Curve25519 (RFC 7748 sections 5
 * and 6.1), together with its public key. Immutable and safe to share between threads;
 * {@link #toString()} shows only the public key.
 */
public final class X25519PrivateKey {
  /** The length of the scalar, and of a shared secret, in bytes. */
  public static final int LENGTH = 32;

  /** The u-coordinate 9 of the base point (RFC 7748 section 4.1). */
  private static final byte[] BASE_POINT = basePoint();

  private final byte[] scalar;
  private final PrivateKey jdkKey;
  private final X25519PublicKey publicKey;

  private X25519PrivateKey(byte[] scalar) {
    this.scalar = scalar;
    try {
      XECPrivateKeySpec spec = new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar);
      this.jdkKey = KeyFactory.getInstance("X25519").generatePrivate(spec);
    } catch (GeneralSecurityException e) {
      throw Raw.failure("reading an X25519 private key", e);
    }
    this.publicKey = X25519PublicKey.fromBytes(agree(X25519PublicKey.fromBytes(BASE_POINT)));
  }

  private static byte[] basePoint() {
    byte[] u = new byte[LENGTH];
    u[0] = 9;
    return u;
  }

  /**
   * The key whose scalar is {@code scalar} (clamped by the function itself, RFC 7748 section 5).
   *
   * @throws CryptoException if the scalar is not 32 bytes
   */
  public static X25519PrivateKey fromBytes(byte[] scalar) {
    return new X25519PrivateKey(Raw.exact(scalar, LENGTH, "an X25519 private key"));
  }

  /** A new key from the system's strong random source. */
  public static X25519PrivateKey generate() {
    return generate(new SecureRandom());
  }

  /** A new key whose scalar comes from {@code random}. */
  public static X25519PrivateKey generate(SecureRandom random) {
    byte[] scalar = new byte[LENGTH];
    random.nextBytes(scalar);
    return new X25519PrivateKey(scalar);
  }

  /** The public key {@code X25519(scalar, 9)}. */
  public X25519PublicKey publicKey() {
    return publicKey;
  }

  /**
   * The 32-byte shared secret {@code X25519(scalar, peer)} (RFC 7748 section 6.1).
   *
   * @throws CryptoException if the result is all zeros (a peer key of small order), which the RFC
   *     says to refuse
   */
  public byte[] agree(X25519PublicKey peer) {
    byte[] secret;
    try {
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(jdkKey);
      agreement.doPhase(peer.jdkKey(), true);
      secret = agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      throw Raw.failure("X25519 key agreement", e);
    }
    if (MessageDigest.isEqual(secret, new byte[LENGTH])) {
      throw new CryptoException("X25519 key agreement gave the all-zero secret: the peer key has small order");
    }
    return secret;
  }

  /** The 32-byte scalar (a copy): secret material, to be stored only sealed or owner-readable. */
  public byte[] toBytes() {
    return scalar.clone();
  }

  @Override
  public String toString() {
    return "X25519PrivateKey[public=" + publicKey + "]";
  }
}

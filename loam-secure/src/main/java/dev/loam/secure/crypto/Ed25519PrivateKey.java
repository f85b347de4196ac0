package dev.loam.secure.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An Ed25519 private key: the 32-byte seed of RFC 8032 section 5.1.5 together with its public key,
 * signing messages deterministically (section 5.1.6). Immutable and safe to share between threads;
 * {@link #toString()} shows only the public key.
 */
public final class Ed25519PrivateKey {
  /** The length of the seed in bytes. */
  public static final int LENGTH = 32;

  private final byte[] seed;
  private final PrivateKey jdkKey;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed, PrivateKey jdkKey, Ed25519PublicKey publicKey) {
    this.seed = seed;
    this.jdkKey = jdkKey;
    this.publicKey = publicKey;
  }

  /**
   * The key whose 32-byte seed is {@code seed} (the "SECRET KEY" of RFC 8032's test vectors).
   *
   * @throws CryptoException if the seed is not 32 bytes
   */
  public static Ed25519PrivateKey fromSeed(byte[] seed) {
    byte[] copy = Raw.exact(seed, LENGTH, "an Ed25519 seed");
    return derive(copy, new Raw.FixedRandom(copy));
  }

  /** A new key from the system's strong random source. */
  public static Ed25519PrivateKey generate() {
    return generate(new SecureRandom());
  }

  /** A new key whose seed comes from {@code random}. */
  public static Ed25519PrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[LENGTH];
    random.nextBytes(seed);
    return fromSeed(seed);
  }

  private static Ed25519PrivateKey derive(byte[] seed, SecureRandom source) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, source);
      KeyPair pair = generator.generateKeyPair();
      EdECPrivateKey privateKey = (EdECPrivateKey) pair.getPrivate();
      byte[] used = privateKey.getBytes().orElseThrow();
      if (!Arrays.equals(used, seed)) {
        throw new CryptoException("the JDK's Ed25519 generator did not take the given seed");
      }
      return new Ed25519PrivateKey(seed, privateKey, Ed25519PublicKey.fromJdk((EdECPublicKey) pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw Raw.failure("deriving an Ed25519 key pair", e);
    }
  }

  /** The public key that verifies this key's signatures. */
  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 64-byte Ed25519 signature of {@code message} (RFC 8032 section 5.1.6; deterministic). */
  public byte[] sign(byte[] message) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(jdkKey);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw Raw.failure("signing with Ed25519", e);
    }
  }

  /** The 32-byte seed (a copy): secret material, to be stored only sealed or owner-readable. */
  public byte[] toSeed() {
    return seed.clone();
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey + "]";
  }
}

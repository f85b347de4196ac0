package dev.loam.secure.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Ed25519 public key: the 32-byte encoded curve point that verifies Ed25519 signatures (RFC 8032
 * section 5.1). Immutable and safe to share between threads.
 */
public final class Ed25519PublicKey {
  /** The length of the encoded key in bytes. */
  public static final int LENGTH = 32;
  /** The length of an Ed25519 signature in bytes. */
  public static final int SIGNATURE_LENGTH = 64;

  /** The field prime 2^255 - 19 (RFC 8032 section 5.1). */
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  /** The curve constant d = -121665 / 121666 mod p (RFC 8032 section 5.1). */
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

  /** How many parsed keys {@link #fromBytes} keeps. */
  private static final int CACHED_KEYS = 4096;
  /**
   * Keys parsed before, by encoding (least recently used out first): checking that a point is on
   * the curve costs a 255-bit modular exponentiation, and a log names the same few keys in op
   * after op. Only valid keys are kept; a key is immutable, so sharing it changes nothing.
   */
  private static final Map<ByteBuffer, Ed25519PublicKey> PARSED = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Ed25519PublicKey> eldest) {
      return size() > CACHED_KEYS;
    }
  };

  private final byte[] encoded;
  private final PublicKey jdkKey;

  private Ed25519PublicKey(byte[] encoded, PublicKey jdkKey) {
    this.encoded = encoded;
    this.jdkKey = jdkKey;
  }

  /**
   * Reads the 32-byte encoding of RFC 8032 section 5.1.2 (the y coordinate little-endian, the
   * parity of x in the top bit).
   *
   * @throws CryptoException if the length is wrong or the JDK rejects the point
   */
  public static Ed25519PublicKey fromBytes(byte[] encoded) {
    byte[] copy = Raw.exact(encoded, LENGTH, "an Ed25519 public key");
    ByteBuffer cacheKey = ByteBuffer.wrap(copy);
    synchronized (PARSED) {
      Ed25519PublicKey known = PARSED.get(cacheKey);
      if (known != null) {
        return known;
      }
    }
    Ed25519PublicKey key = parse(copy);
    synchronized (PARSED) {
      PARSED.put(cacheKey, key);
    }
    return key;
  }

  private static Ed25519PublicKey parse(byte[] copy) {
    byte[] yBytes = copy.clone();
    boolean xOdd = (yBytes[LENGTH - 1] & 0x80) != 0;
    yBytes[LENGTH - 1] &= 0x7f;
    BigInteger y = Raw.fromLittleEndian(yBytes);
    if (y.compareTo(P) >= 0) {
      throw new CryptoException("not an Ed25519 public key: its y coordinate is not below 2^255 - 19 (a non-canonical encoding)");
    }
    if (!onCurve(y, xOdd)) {
      throw new CryptoException("not an Ed25519 public key: no point of the curve has this encoding");
    }
    try {
      EdECPublicKeySpec spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y));
      return new Ed25519PublicKey(copy, KeyFactory.getInstance("Ed25519").generatePublic(spec));
    } catch (GeneralSecurityException e) {
      throw Raw.failure("reading an Ed25519 public key", e);
    }
  }

  /**
   * Whether a point of edwards25519 has y coordinate {@code y} (below p) and an x of the given
   * parity: RFC 8032 section 5.1.3, steps 2 to 4, as a test of existence — x^2 = (y^2 - 1) /
   * (d y^2 + 1) must be a square (Euler's criterion), and x = 0 must not come with an odd sign bit.
   */
  private static boolean onCurve(BigInteger y, boolean xOdd) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P); // never 0: -1/d is not a square
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    if (x2.signum() == 0) {
      return !xOdd;
    }
    return x2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).equals(BigInteger.ONE);
  }

  /** Wraps a JDK key the JDK generated (its point is valid by construction). */
  static Ed25519PublicKey fromJdk(java.security.interfaces.EdECPublicKey key) {
    EdECPoint point = key.getPoint();
    byte[] encoded = Raw.toLittleEndian(point.getY(), LENGTH);
    if (point.isXOdd()) {
      encoded[LENGTH - 1] |= (byte) 0x80;
    }
    return new Ed25519PublicKey(encoded, key);
  }

  /**
   * Whether {@code signature} is this key's Ed25519 signature of {@code message} (RFC 8032
   * section 5.1.7). A signature of the wrong length or a non-canonical one is simply not valid.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(jdkKey);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw Raw.failure("verifying an Ed25519 signature", e);
    }
  }

  /** The 32-byte encoding (a copy). */
  public byte[] toBytes() {
    return encoded.clone();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Ed25519PublicKey key && Arrays.equals(encoded, key.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + HexFormat.of().formatHex(encoded) + "]";
  }
}

package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Ed25519Test {
  static List<Vectors.Vector> rfc8032() {
    return Vectors.load("ed25519-rfc8032.txt");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void derivesThePublicKeyAndSignatureOfRfc8032(Vectors.Vector v) {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(v.hex("seed"));
    assertArrayEquals(v.hex("public"), key.publicKey().toBytes());
    assertArrayEquals(v.hex("signature"), key.sign(v.hex("message")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc8032")
  void verifiesRfc8032SignaturesFromTheEncodedPublicKeyAlone(Vectors.Vector v) {
    Ed25519PublicKey key = Ed25519PublicKey.fromBytes(v.hex("public"));
    byte[] message = v.hex("message");
    byte[] signature = v.hex("signature");
    assertTrue(key.verify(message, signature));
    assertEquals(Ed25519PrivateKey.fromSeed(v.hex("seed")).publicKey(), key);
    for (int bit = 0; bit < signature.length * 8; bit += 7) {
      byte[] flipped = signature.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(key.verify(message, flipped), "signature bit " + bit + " flipped");
    }
    byte[] longer = new byte[message.length + 1];
    System.arraycopy(message, 0, longer, 0, message.length);
    assertFalse(key.verify(longer, signature), "message extended by one byte");
    assertFalse(key.verify(message, new byte[Ed25519PublicKey.SIGNATURE_LENGTH - 1]), "short signature");
  }

  @Test
  void aSignatureDoesNotVerifyUnderAnotherKey() {
    List<Vectors.Vector> vectors = rfc8032();
    Ed25519PublicKey other = Ed25519PublicKey.fromBytes(vectors.get(1).hex("public"));
    Vectors.Vector first = vectors.get(0);
    assertFalse(other.verify(first.hex("message"), first.hex("signature")));
  }

  @Test
  void generatedKeysSignAndVerifyAndRoundTripTheirBytes() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    byte[] message = "a change".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] signature = key.sign(message);
    assertTrue(Ed25519PublicKey.fromBytes(key.publicKey().toBytes()).verify(message, signature));
    assertEquals(key.publicKey(), Ed25519PrivateKey.fromSeed(key.toSeed()).publicKey());
  }

  @Test
  void wrongLengthsAreTypedErrors() {
    assertThrows(CryptoException.class, () -> Ed25519PrivateKey.fromSeed(new byte[31]));
    assertThrows(CryptoException.class, () -> Ed25519PublicKey.fromBytes(new byte[33]));
  }

  /** A little-endian 32-byte encoding of {@code y}, with the sign bit of x set when {@code xOdd}. */
  private static byte[] encoding(java.math.BigInteger y, boolean xOdd) {
    byte[] out = new byte[Ed25519PublicKey.LENGTH];
    byte[] big = y.toByteArray();
    for (int i = 0; i < big.length && i < out.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    if (xOdd) {
      out[out.length - 1] |= (byte) 0x80;
    }
    return out;
  }

  @Test
  void encodingsThatRfc8032DecodingRejectsAreTypedErrors() {
    java.math.BigInteger p = java.math.BigInteger.TWO.pow(255).subtract(java.math.BigInteger.valueOf(19));
    // section 5.1.3 step 1: y must be below p (p itself and 2^255 - 1 are non-canonical)
    assertThrows(CryptoException.class, () -> Ed25519PublicKey.fromBytes(encoding(p, false)));
    assertThrows(CryptoException.class, () -> Ed25519PublicKey.fromBytes(
        encoding(java.math.BigInteger.TWO.pow(255).subtract(java.math.BigInteger.ONE), false)));
    // step 4: y = 1 gives x = 0, which cannot carry an odd sign bit
    assertThrows(CryptoException.class, () -> Ed25519PublicKey.fromBytes(encoding(java.math.BigInteger.ONE, true)));
    // steps 2-3: for y = 2, 7 and 8, (y^2 - 1) / (d y^2 + 1) has no square root mod p, so no point
    // exists (found with the section's recover_x in a separate script); 3, 4 and 5 do have one
    for (int y : new int[] {2, 7, 8}) {
      assertThrows(CryptoException.class, () -> Ed25519PublicKey.fromBytes(encoding(java.math.BigInteger.valueOf(y), false)),
          "y = " + y);
    }
    for (int y : new int[] {3, 4, 5}) {
      Ed25519PublicKey.fromBytes(encoding(java.math.BigInteger.valueOf(y), false));
      Ed25519PublicKey.fromBytes(encoding(java.math.BigInteger.valueOf(y), true));
    }
  }

  @Test
  void toStringNeverShowsTheSeed() {
    Vectors.Vector v = rfc8032().get(0);
    String text = Ed25519PrivateKey.fromSeed(v.hex("seed")).toString();
    assertFalse(text.contains(v.text("seed")), text);
    assertFalse(text.contains(v.text("seed").substring(0, 8)), text);
    assertTrue(text.contains(v.text("public")), text);
  }
}

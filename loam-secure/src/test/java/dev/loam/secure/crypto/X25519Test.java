package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class X25519Test {
  static List<Vectors.Vector> rfc7748() {
    return Vectors.load("x25519-rfc7748.txt");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7748")
  void computesTheRfc7748Outputs(Vectors.Vector v) {
    X25519PrivateKey key = X25519PrivateKey.fromBytes(v.hex("scalar"));
    assertArrayEquals(v.hex("output"), key.agree(X25519PublicKey.fromBytes(v.hex("u"))));
  }

  @Test
  void reproducesTheRfc7748DiffieHellmanExample() {
    Vectors.Vector v = Vectors.load("x25519-rfc7748-dh.txt").get(0);
    X25519PrivateKey alice = X25519PrivateKey.fromBytes(v.hex("alice_private"));
    X25519PrivateKey bob = X25519PrivateKey.fromBytes(v.hex("bob_private"));
    assertArrayEquals(v.hex("alice_public"), alice.publicKey().toBytes());
    assertArrayEquals(v.hex("bob_public"), bob.publicKey().toBytes());
    assertArrayEquals(v.hex("shared"), alice.agree(X25519PublicKey.fromBytes(v.hex("bob_public"))));
    assertArrayEquals(v.hex("shared"), bob.agree(X25519PublicKey.fromBytes(v.hex("alice_public"))));
  }

  @Test
  void reproducesTheRfc7748IteratedValues() {
    List<Vectors.Vector> checkpoints = Vectors.load("x25519-rfc7748-iterated.txt");
    byte[] k = new byte[X25519PrivateKey.LENGTH];
    k[0] = 9;
    byte[] u = k.clone();
    int done = 0;
    for (Vectors.Vector checkpoint : checkpoints) {
      for (; done < checkpoint.integer("iterations"); done++) {
        byte[] next = X25519PrivateKey.fromBytes(k).agree(X25519PublicKey.fromBytes(u));
        u = k;
        k = next;
      }
      assertArrayEquals(checkpoint.hex("k"), k, checkpoint.toString());
    }
  }

  @Test
  void bothSidesAgreeOnTheSameSecret() {
    X25519PrivateKey alice = X25519PrivateKey.generate();
    X25519PrivateKey bob = X25519PrivateKey.generate();
    assertArrayEquals(alice.agree(bob.publicKey()), bob.agree(alice.publicKey()));
  }

  @Test
  void refusesTheAllZeroSharedSecret() {
    X25519PrivateKey key = X25519PrivateKey.generate();
    // u = 0 and u = 1 are points of small order: X25519 gives all zeros for any scalar.
    byte[] one = new byte[X25519PublicKey.LENGTH];
    one[0] = 1;
    assertThrows(CryptoException.class, () -> key.agree(X25519PublicKey.fromBytes(new byte[X25519PublicKey.LENGTH])));
    assertThrows(CryptoException.class, () -> key.agree(X25519PublicKey.fromBytes(one)));
  }

  @Test
  void wrongLengthsAreTypedErrors() {
    assertThrows(CryptoException.class, () -> X25519PrivateKey.fromBytes(new byte[16]));
    assertThrows(CryptoException.class, () -> X25519PublicKey.fromBytes(new byte[31]));
  }

  @Test
  void toStringNeverShowsTheScalar() {
    Vectors.Vector v = rfc7748().get(0);
    String text = X25519PrivateKey.fromBytes(v.hex("scalar")).toString();
    assertFalse(text.contains(v.text("scalar").substring(0, 8)), text);
    assertFalse(text.contains(HexFormat.of().withUpperCase().formatHex(v.hex("scalar")).substring(0, 8)), text);
  }
}

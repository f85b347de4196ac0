package dev.loam.secure.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.secure.crypto}'s Javadoc: seal to a key, sign, open. */
class CryptoExampleTest {
  @Test
  void aSealedMessageOpensForItsRecipientAndItsSignatureVerifies() {
    // @start region="example"
    X25519PrivateKey bob = X25519PrivateKey.generate();
    Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    byte[] info = "example v1".getBytes(UTF_8);               // binds the message to its use
    byte[] aad = "to bob".getBytes(UTF_8);                    // authenticated, not encrypted

    byte[] sealed = Hpke.seal(bob.publicKey(), info, aad, "hi bob".getBytes(UTF_8));
    byte[] signature = alice.sign(sealed);                    // who sent it

    boolean fromAlice = alice.publicKey().verify(sealed, signature);
    byte[] opened = Hpke.open(bob, info, aad, sealed);        // "hi bob"
    // @end
    assertTrue(fromAlice);
    assertArrayEquals("hi bob".getBytes(UTF_8), opened);
    sealed[sealed.length - 1] ^= 1;
    assertFalse(alice.publicKey().verify(sealed, signature));
    assertThrows(AuthenticationException.class, () -> Hpke.open(bob, info, aad, sealed));
    sealed[sealed.length - 1] ^= 1;
    assertThrows(AuthenticationException.class, () -> Hpke.open(X25519PrivateKey.generate(), info, aad, sealed));
  }
}

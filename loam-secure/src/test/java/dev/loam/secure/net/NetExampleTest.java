package dev.loam.secure.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.secure.net}'s Javadoc: the challenge-response handshake. */
class NetExampleTest {
  @Test
  void theServerAcceptsASignedAnswerToItsOwnChallengeOnly() {
    Ed25519PrivateKey device = Ed25519PrivateKey.generate();
    byte[] nonce = new byte[SecureMessage.NONCE_LENGTH];
    nonce[0] = 7;
    long now = 1_765_000_000_000L;
    // @start region="example"
    // The server opens with a fresh nonce and its own name (the audience).
    SecureMessage challenge = new SecureMessage.Challenge(Bytes.of(nonce), "wss://sync.example");
    // The device answers by signing both with its key; SecureSyncClient does this for you.
    SecureMessage.Challenge received = (SecureMessage.Challenge) SecureMessage.decode(challenge.encode());
    byte[] frame = SecureMessage.Auth.sign(device, received, now).encode();
    // The server checks the signature, then that nonce and audience are its own.
    SecureMessage.Auth auth = (SecureMessage.Auth) SecureMessage.decode(frame);
    boolean genuine = auth.verifies() && auth.nonce().equals(Bytes.of(nonce));
    // @end
    assertTrue(genuine);
    assertEquals(device.publicKey(), auth.member());
    assertEquals("auth", auth.type());
    SecureMessage.Auth forged = new SecureMessage.Auth(auth.member(), auth.nonce(), now + 1, auth.audience(), auth.signature());
    assertFalse(forged.verifies(), "a changed timestamp breaks the signature");
    assertInstanceOf(SecureMessage.Auth.class, SecureMessage.decode(forged.encode()));
  }
}

package dev.loam.secure.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChaCha20Poly1305Test {
  private static final Vectors.Vector RFC8439 = Vectors.load("chacha20poly1305-rfc8439.txt").get(0);

  private static byte[] sealed() {
    byte[] ciphertext = RFC8439.hex("ciphertext");
    byte[] tag = RFC8439.hex("tag");
    byte[] out = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
    System.arraycopy(tag, 0, out, ciphertext.length, tag.length);
    return out;
  }

  private static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
    return ChaCha20Poly1305.open(key, nonce, aad, sealed);
  }

  @Test
  void sealsTheRfc8439Vector() {
    byte[] out = ChaCha20Poly1305.seal(RFC8439.hex("key"), RFC8439.hex("nonce"), RFC8439.hex("aad"), RFC8439.hex("plaintext"));
    assertArrayEquals(sealed(), out);
  }

  @Test
  void opensTheRfc8439Vector() {
    assertArrayEquals(RFC8439.hex("plaintext"), open(RFC8439.hex("key"), RFC8439.hex("nonce"), RFC8439.hex("aad"), sealed()));
  }

  @Test
  void everyFlippedBitOfCiphertextOrTagFails() {
    byte[] sealed = sealed();
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = sealed.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(AuthenticationException.class,
          () -> open(RFC8439.hex("key"), RFC8439.hex("nonce"), RFC8439.hex("aad"), tampered), "bit " + bit);
    }
  }

  @Test
  void aChangedAadNonceOrKeyFails() {
    byte[] aad = RFC8439.hex("aad");
    aad[0] ^= 1;
    byte[] nonce = RFC8439.hex("nonce");
    nonce[11] ^= (byte) 0x80;
    byte[] key = RFC8439.hex("key");
    key[31] ^= 1;
    assertThrows(AuthenticationException.class, () -> open(RFC8439.hex("key"), RFC8439.hex("nonce"), aad, sealed()));
    assertThrows(AuthenticationException.class, () -> open(RFC8439.hex("key"), nonce, RFC8439.hex("aad"), sealed()));
    assertThrows(AuthenticationException.class, () -> open(key, RFC8439.hex("nonce"), RFC8439.hex("aad"), sealed()));
    assertThrows(AuthenticationException.class, () -> open(RFC8439.hex("key"), RFC8439.hex("nonce"), new byte[0], sealed()));
  }

  @Test
  void truncatedOrExtendedCiphertextsFail() {
    byte[] sealed = sealed();
    for (int length : new int[] {0, 1, ChaCha20Poly1305.TAG_LENGTH - 1, ChaCha20Poly1305.TAG_LENGTH, sealed.length - 1, sealed.length + 1}) {
      byte[] changed = Arrays.copyOf(sealed, length);
      assertThrows(AuthenticationException.class,
          () -> open(RFC8439.hex("key"), RFC8439.hex("nonce"), RFC8439.hex("aad"), changed), "length " + length);
    }
  }

  @Test
  void wrongKeyOrNonceLengthsAreTypedErrors() {
    assertThrows(CryptoException.class, () -> ChaCha20Poly1305.seal(new byte[16], new byte[12], new byte[0], new byte[0]));
    assertThrows(CryptoException.class, () -> ChaCha20Poly1305.seal(new byte[32], new byte[8], new byte[0], new byte[0]));
    assertThrows(CryptoException.class, () -> ChaCha20Poly1305.open(new byte[32], new byte[24], new byte[0], new byte[16]));
  }
}

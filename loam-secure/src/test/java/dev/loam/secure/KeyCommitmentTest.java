package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * ChaCha20-Poly1305 does not commit to its key: one ciphertext can authenticate under two keys
 * ("invisible salamanders", Grubbs et al. 2018; Len et al., "Partitioning Oracle Attacks", 2021).
 * This test builds such a ciphertext for the content keys of two epoch keys, shows that both keys
 * decrypt it without error, and that an envelope carrying it opens for neither wrong key: the key
 * commitment in the signed header rejects the key it does not name before decryption.
 *
 * <p>The construction: Poly1305's accumulator is linear in each 16-byte block, so with one free
 * ciphertext block {@code c} the two tags are equal when {@code c * (r1^e - r2^e) ≡ A2 - A1 + δ
 * (mod 2^130 - 5)}, for {@code δ ≡ s2 - s1 (mod 2^128)} chosen so the integers do not wrap.
 */
class KeyCommitmentTest {
  private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
  private static final byte[] NONCE = new byte[ChaCha20Poly1305.NONCE_LENGTH];

  private final SecureRandom random = TestSeeds.random(2024);
  private final Identity alice = Identity.generate(random);

  @Test
  void aCiphertextThatAuthenticatesUnderTwoKeysOpensForOnlyTheCommittedOne() {
    SecureDocument doc = SecureDocument.create(alice, random);
    OpId epoch = doc.log().genesis().orElseThrow().id();
    EnvelopeId id = EnvelopeId.random(random);
    byte[] epochKey1 = new byte[32];
    byte[] epochKey2 = new byte[32];
    random.nextBytes(epochKey1);
    random.nextBytes(epochKey2);
    byte[] k1 = EnvelopeCrypto.contentKey(epochKey1, id);
    byte[] k2 = EnvelopeCrypto.contentKey(epochKey2, id);
    List<EnvelopeId> parents = List.of();
    List<OpId> heads = doc.log().membershipHeads();
    byte[] aad = Envelope.aad(doc.id(), id, alice.signingKey().publicKey(), parents, heads, epoch);

    byte[] sealed = collide(k1, k2, aad, 4);
    byte[] p1 = ChaCha20Poly1305.open(k1, NONCE, aad, sealed);
    byte[] p2 = ChaCha20Poly1305.open(k2, NONCE, aad, sealed);
    assertEquals(64, p1.length);
    assertTrue(!Arrays.equals(p1, p2), "one ciphertext, two different plaintexts");

    Envelope committedTo1 = Envelope.sign(doc.id(), id, alice.signingKey(), parents, heads, epoch,
        Bytes.wrap(EnvelopeCrypto.commitment(k1)), Bytes.wrap(sealed));
    EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(committedTo1, epochKey2));
    assertTrue(x.getMessage().contains("key commitment"), x.getMessage());
    // the committed key gets past the commitment and the tag: only its (random) plaintext is refused
    EnvelopeOpenException y = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(committedTo1, epochKey1));
    assertTrue(!y.getMessage().contains("key commitment") && !y.getMessage().contains("authenticate"), y.getMessage());
  }

  /** A ciphertext of {@code blocks} 16-byte blocks, followed by a tag, valid under both keys. */
  private byte[] collide(byte[] k1, byte[] k2, byte[] aad, int blocks) {
    BigInteger[] key1 = polyKey(k1);
    BigInteger[] key2 = polyKey(k2);
    int aadBlocks = (aad.length + 15) / 16;
    int total = aadBlocks + blocks + 1;
    int e = total - aadBlocks; // the power of r the first ciphertext block is multiplied by
    BigInteger denominator = key1[0].modPow(BigInteger.valueOf(e), P).subtract(key2[0].modPow(BigInteger.valueOf(e), P)).mod(P);
    BigInteger delta = key2[1].subtract(key1[1]).mod(TWO_128);
    for (int attempt = 0; attempt < 1000; attempt++) {
      byte[] ct = new byte[16 * blocks];
      random.nextBytes(ct);
      Arrays.fill(ct, 0, 16, (byte) 0);
      BigInteger a1 = accumulate(key1[0], macData(aad, ct));
      BigInteger a2 = accumulate(key2[0], macData(aad, ct));
      for (int wrap = 0; wrap < 4; wrap++) {
        BigInteger target = a2.subtract(a1).add(delta).add(TWO_128.multiply(BigInteger.valueOf(wrap))).mod(P);
        BigInteger c = target.multiply(denominator.modInverse(P)).mod(P);
        if (c.compareTo(TWO_128) >= 0) {
          continue;
        }
        byte[] candidate = ct.clone();
        System.arraycopy(littleEndian(c, 16), 0, candidate, 0, 16);
        byte[] t1 = tag(key1, aad, candidate);
        if (Arrays.equals(t1, tag(key2, aad, candidate))) {
          byte[] out = Arrays.copyOf(candidate, candidate.length + 16);
          System.arraycopy(t1, 0, out, candidate.length, 16);
          assertArrayEquals(t1, Arrays.copyOfRange(ChaCha20Poly1305.seal(k1, NONCE, aad,
              ChaCha20Poly1305.open(k1, NONCE, aad, out)), candidate.length, out.length), "the JDK agrees");
          return out;
        }
      }
    }
    throw new AssertionError("no collision found");
  }

  /** Poly1305's (r, s) for a ChaCha20-Poly1305 key: the first 32 bytes of keystream block 0, r clamped (RFC 8439 2.6). */
  private static BigInteger[] polyKey(byte[] key) {
    try {
      Cipher chacha = Cipher.getInstance("ChaCha20");
      chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(NONCE, 0));
      byte[] block = chacha.doFinal(new byte[32]);
      byte[] r = Arrays.copyOf(block, 16);
      for (int i : new int[] {3, 7, 11, 15}) {
        r[i] &= 15;
      }
      for (int i : new int[] {4, 8, 12}) {
        r[i] &= (byte) 252;
      }
      return new BigInteger[] {fromLittleEndian(r), fromLittleEndian(Arrays.copyOfRange(block, 16, 32))};
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** RFC 8439 2.8: aad, padding, ciphertext, padding, both lengths as 64-bit little-endian. */
  private static byte[] macData(byte[] aad, byte[] ct) {
    int aadPadded = (aad.length + 15) / 16 * 16;
    int ctPadded = (ct.length + 15) / 16 * 16;
    byte[] out = new byte[aadPadded + ctPadded + 16];
    System.arraycopy(aad, 0, out, 0, aad.length);
    System.arraycopy(ct, 0, out, aadPadded, ct.length);
    System.arraycopy(littleEndian(BigInteger.valueOf(aad.length), 8), 0, out, aadPadded + ctPadded, 8);
    System.arraycopy(littleEndian(BigInteger.valueOf(ct.length), 8), 0, out, aadPadded + ctPadded + 8, 8);
    return out;
  }

  private static BigInteger accumulate(BigInteger r, byte[] data) {
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < data.length; i += 16) {
      acc = acc.add(fromLittleEndian(Arrays.copyOfRange(data, i, i + 16)).add(TWO_128)).multiply(r).mod(P);
    }
    return acc;
  }

  private static byte[] tag(BigInteger[] key, byte[] aad, byte[] ct) {
    return littleEndian(accumulate(key[0], macData(aad, ct)).add(key[1]).mod(TWO_128), 16);
  }

  private static BigInteger fromLittleEndian(byte[] b) {
    byte[] be = new byte[b.length + 1];
    for (int i = 0; i < b.length; i++) {
      be[b.length - i] = b[i];
    }
    return new BigInteger(be);
  }

  private static byte[] littleEndian(BigInteger v, int length) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[length];
    for (int i = 0; i < length && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }
}

package dev.loam.secure.crypto;

/**
 * The keys of one HPKE context and its message counter (RFC 9180 sections 5.1 and 5.2): the AEAD
 * key, the base nonce, the exporter secret and the sequence number. Safe to use from many threads:
 * seal and open are serialised, so every message gets its own nonce.
 */
final class HpkeKeySchedule {
  private final byte[] key;
  private final byte[] baseNonce;
  private final byte[] exporterSecret;
  private long sequence;

  HpkeKeySchedule(byte[] key, byte[] baseNonce, byte[] exporterSecret) {
    this.key = key;
    this.baseNonce = baseNonce;
    this.exporterSecret = exporterSecret;
  }

  byte[] key() {
    return key.clone();
  }

  byte[] baseNonce() {
    return baseNonce.clone();
  }

  byte[] exporterSecret() {
    return exporterSecret.clone();
  }

  /** ComputeNonce (RFC 9180 section 5.2): the base nonce XOR the big-endian sequence number. */
  byte[] nonce(long seq) {
    byte[] nonce = baseNonce.clone();
    for (int i = 0; i < Long.BYTES; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (seq >>> (8 * i));
    }
    return nonce;
  }

  synchronized byte[] seal(byte[] aad, byte[] plaintext) {
    byte[] ciphertext = ChaCha20Poly1305.seal(key, nonce(checkedSequence()), aad, plaintext);
    sequence++;
    return ciphertext;
  }

  /** Opens the next message; on failure the sequence number stays, as RFC 9180 section 5.2 says. */
  synchronized byte[] open(byte[] aad, byte[] ciphertext) {
    byte[] plaintext = ChaCha20Poly1305.open(key, nonce(checkedSequence()), aad, ciphertext);
    sequence++;
    return plaintext;
  }

  private long checkedSequence() {
    if (sequence == Long.MAX_VALUE) {
      throw new CryptoException("this HPKE context has reached its message limit");
    }
    return sequence;
  }

  /** Export (RFC 9180 section 5.3): {@code length} bytes of secret bound to {@code context}. */
  byte[] export(byte[] context, int length) {
    return Hpke.labeledExpand(Hpke.HPKE_SUITE, exporterSecret, "sec", context, length);
  }
}

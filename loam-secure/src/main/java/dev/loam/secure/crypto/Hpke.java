package dev.loam.secure.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * HPKE, hybrid public key encryption (RFC 9180), in base mode for the one suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305 (kem_id 0x0020, kdf_id 0x0001,
 * aead_id 0x0003), built from {@link X25519PrivateKey}, {@link Hkdf} and {@link ChaCha20Poly1305}.
 * Stateless and safe to use from any thread.
 */
public final class Hpke {
  /** The KEM identifier of DHKEM(X25519, HKDF-SHA256) (RFC 9180 section 7.1). */
  public static final int KEM_ID = 0x0020;
  /** The KDF identifier of HKDF-SHA256 (RFC 9180 section 7.2). */
  public static final int KDF_ID = 0x0001;
  /** The AEAD identifier of ChaCha20-Poly1305 (RFC 9180 section 7.3). */
  public static final int AEAD_ID = 0x0003;
  /** The length of an encapsulated key, an X25519 public key, in bytes. */
  public static final int ENC_LENGTH = X25519PublicKey.LENGTH;

  /** suite_id of the KEM: "KEM" || I2OSP(kem_id, 2) (RFC 9180 section 4.1). */
  static final byte[] KEM_SUITE = {'K', 'E', 'M', 0, KEM_ID};
  /** suite_id of the key schedule: "HPKE" || kem_id || kdf_id || aead_id (RFC 9180 section 5.1). */
  static final byte[] HPKE_SUITE = {'H', 'P', 'K', 'E', 0, KEM_ID, 0, KDF_ID, 0, AEAD_ID};

  private static final byte[] VERSION = ascii("HPKE-v1");
  private static final byte MODE_BASE = 0x00;
  private static final int NK = ChaCha20Poly1305.KEY_LENGTH;
  private static final int NN = ChaCha20Poly1305.NONCE_LENGTH;
  private static final int NH = Hkdf.HASH_LENGTH;

  private Hpke() {}

  /** The shared secret and the encapsulated key that {@link #encap} gives. */
  record Encapsulation(byte[] sharedSecret, byte[] enc) {}

  /**
   * Single-shot seal (RFC 9180 section 6.1): sets up a sender context for {@code recipient} with
   * a fresh ephemeral key and seals one message. Returns {@code enc || ciphertext}, the 32-byte
   * encapsulated key followed by the ciphertext and its tag.
   */
  public static byte[] seal(X25519PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext) {
    return seal(recipient, info, aad, plaintext, new SecureRandom());
  }

  /**
   * {@link #seal(X25519PublicKey, byte[], byte[], byte[])} with the ephemeral key drawn from {@code
   * random} (a seeded source makes the output repeatable, as randomised tests need).
   */
  public static byte[] seal(X25519PublicKey recipient, byte[] info, byte[] aad, byte[] plaintext, SecureRandom random) {
    HpkeSender sender = setupBaseSender(recipient, info, X25519PrivateKey.generate(random));
    byte[] ciphertext = sender.seal(aad, plaintext);
    byte[] out = Arrays.copyOf(sender.enc(), ENC_LENGTH + ciphertext.length);
    System.arraycopy(ciphertext, 0, out, ENC_LENGTH, ciphertext.length);
    return out;
  }

  /**
   * Single-shot open (RFC 9180 section 6.1) of what {@link #seal} gave.
   *
   * @throws AuthenticationException if the message, {@code info} or {@code aad} differs or it was
   *     sealed for another key
   * @throws CryptoException if it is too short to hold an encapsulated key
   */
  public static byte[] open(X25519PrivateKey recipient, byte[] info, byte[] aad, byte[] sealed) {
    if (sealed.length < ENC_LENGTH) {
      throw new CryptoException("an HPKE message has at least " + ENC_LENGTH + " bytes, not " + sealed.length);
    }
    byte[] enc = Arrays.copyOf(sealed, ENC_LENGTH);
    byte[] ciphertext = Arrays.copyOfRange(sealed, ENC_LENGTH, sealed.length);
    return setupBaseReceiver(enc, recipient, info).open(aad, ciphertext);
  }

  /** SetupBaseS (RFC 9180 section 5.1.1) with a fresh ephemeral key. */
  public static HpkeSender setupBaseSender(X25519PublicKey recipient, byte[] info) {
    return setupBaseSender(recipient, info, X25519PrivateKey.generate());
  }

  /** SetupBaseS with a given ephemeral key: deterministic, for known-answer tests only. */
  static HpkeSender setupBaseSender(X25519PublicKey recipient, byte[] info, X25519PrivateKey ephemeral) {
    Encapsulation encapsulation = encap(recipient, ephemeral);
    return new HpkeSender(encapsulation.enc(), keySchedule(encapsulation.sharedSecret(), info));
  }

  /**
   * SetupBaseR (RFC 9180 section 5.1.1): the receiver's context for the encapsulated key {@code
   * enc}.
   *
   * @throws CryptoException if {@code enc} is not 32 bytes or is a point of small order
   */
  public static HpkeReceiver setupBaseReceiver(byte[] enc, X25519PrivateKey recipient, byte[] info) {
    return new HpkeReceiver(keySchedule(decap(enc, recipient), info));
  }

  /**
   * DeriveKeyPair (RFC 9180 section 7.1.3): the X25519 key pair determined by at least 32 bytes of
   * input keying material.
   *
   * @throws CryptoException if {@code ikm} is shorter than 32 bytes
   */
  public static X25519PrivateKey deriveKeyPair(byte[] ikm) {
    if (ikm.length < X25519PrivateKey.LENGTH) {
      throw new CryptoException("HPKE DeriveKeyPair needs at least " + X25519PrivateKey.LENGTH + " bytes, not " + ikm.length);
    }
    byte[] prk = labeledExtract(KEM_SUITE, new byte[0], "dkp_prk", ikm);
    return X25519PrivateKey.fromBytes(labeledExpand(KEM_SUITE, prk, "sk", new byte[0], X25519PrivateKey.LENGTH));
  }

  /** Encap (RFC 9180 section 4.1) with the given ephemeral key. */
  static Encapsulation encap(X25519PublicKey recipient, X25519PrivateKey ephemeral) {
    byte[] dh = ephemeral.agree(recipient);
    byte[] enc = ephemeral.publicKey().toBytes();
    return new Encapsulation(extractAndExpand(dh, concat(enc, recipient.toBytes())), enc);
  }

  /** Decap (RFC 9180 section 4.1). */
  static byte[] decap(byte[] enc, X25519PrivateKey recipient) {
    byte[] dh = recipient.agree(X25519PublicKey.fromBytes(enc));
    return extractAndExpand(dh, concat(enc, recipient.publicKey().toBytes()));
  }

  private static byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
    byte[] prk = labeledExtract(KEM_SUITE, new byte[0], "eae_prk", dh);
    return labeledExpand(KEM_SUITE, prk, "shared_secret", kemContext, NH);
  }

  /** KeySchedule (RFC 9180 section 5.1) in base mode: no PSK, so psk and psk_id are empty. */
  static HpkeKeySchedule keySchedule(byte[] sharedSecret, byte[] info) {
    byte[] context = keyScheduleContext(info);
    byte[] secret = labeledExtract(HPKE_SUITE, sharedSecret, "secret", new byte[0]);
    return new HpkeKeySchedule(
        labeledExpand(HPKE_SUITE, secret, "key", context, NK),
        labeledExpand(HPKE_SUITE, secret, "base_nonce", context, NN),
        labeledExpand(HPKE_SUITE, secret, "exp", context, NH));
  }

  /** key_schedule_context = mode || psk_id_hash || info_hash (RFC 9180 section 5.1). */
  static byte[] keyScheduleContext(byte[] info) {
    byte[] pskIdHash = labeledExtract(HPKE_SUITE, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(HPKE_SUITE, new byte[0], "info_hash", info);
    return concat(new byte[] {MODE_BASE}, pskIdHash, infoHash);
  }

  /** LabeledExtract (RFC 9180 section 4): Extract(salt, "HPKE-v1" || suite_id || label || ikm). */
  static byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm) {
    return Hkdf.extract(salt, concat(VERSION, suite, ascii(label), ikm));
  }

  /**
   * LabeledExpand (RFC 9180 section 4): Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label
   * || info, L).
   */
  static byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int length) {
    if (length < 0 || length > 0xffff) {
      throw new CryptoException("an HPKE output length is 0 to 65535 bytes, not " + length);
    }
    byte[] prefix = {(byte) (length >>> 8), (byte) length};
    return Hkdf.expand(prk, concat(prefix, VERSION, suite, ascii(label), info), length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import dev.loam.secure.crypto.CryptoException;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.crypto.Hkdf;
import dev.loam.secure.crypto.Hpke;
import dev.loam.secure.crypto.X25519PrivateKey;
import dev.loam.secure.crypto.X25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The key schedule's sealed boxes: an epoch key wrapped for one member, and an older epoch key
 * chained under a newer one. Stateless and thread-safe.
 *
 * <pre>
 * wrap  = HPKE base seal (DHKEM-X25519, HKDF-SHA256, ChaCha20-Poly1305) to the member's X25519 key,
 *         info = "loam-wrap-v1" | epoch nonce (16) | member signing key (32), aad empty   (80 bytes)
 * link  = ChaCha20-Poly1305(key = HKDF(salt empty, ikm = new key, info = "loam-chain-v1" | old epoch id),
 *         nonce = 12 zero bytes, aad = document id | old epoch id | new epoch nonce, old key)  (48 bytes)
 * </pre>
 * The wrap names the epoch by its nonce, not its op id, because a genesis or rotate op carries
 * wraps of its own key and its id is the hash of its signed bytes. Each link has its own key (the
 * old epoch id is in the HKDF info), so the fixed nonce is never reused under one key.
 */
final class Wraps {
  /** The size of a wrap: encapsulated key, sealed 32-byte key, tag. */
  static final int WRAP_LENGTH = Hpke.ENC_LENGTH + EpochKey.LENGTH + ChaCha20Poly1305.TAG_LENGTH;
  /** The size of a chain link: sealed 32-byte key and tag. */
  static final int LINK_LENGTH = EpochKey.LENGTH + ChaCha20Poly1305.TAG_LENGTH;

  private static final byte[] WRAP_INFO = "loam-wrap-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHAIN_INFO = "loam-chain-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_AAD = new byte[0];

  private Wraps() {}

  static Bytes wrap(X25519PublicKey recipient, Ed25519PublicKey member, Bytes epochNonce, Bytes key, SecureRandom random) {
    return Bytes.wrap(Hpke.seal(recipient, wrapInfo(epochNonce, member), NO_AAD, key.toByteArray(), random));
  }

  /** The key in {@code wrap}, or empty if it was not sealed for this member and epoch (or is damaged). */
  static Optional<Bytes> unwrap(X25519PrivateKey me, Ed25519PublicKey member, Bytes epochNonce, Bytes wrap) {
    try {
      byte[] key = Hpke.open(me, wrapInfo(epochNonce, member), NO_AAD, wrap.toByteArray());
      return key.length == EpochKey.LENGTH ? Optional.of(Bytes.wrap(key)) : Optional.empty();
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  static Bytes link(DocumentId document, OpId oldEpoch, Bytes oldKey, Bytes newNonce, Bytes newKey) {
    return Bytes.wrap(ChaCha20Poly1305.seal(linkKey(newKey, oldEpoch), new byte[ChaCha20Poly1305.NONCE_LENGTH],
        linkAad(document, oldEpoch, newNonce), oldKey.toByteArray()));
  }

  /** The older key chained in {@code link}, or empty if the link does not open with this newer key. */
  static Optional<Bytes> unlink(DocumentId document, OpId oldEpoch, Bytes newNonce, Bytes newKey, Bytes link) {
    try {
      byte[] key = ChaCha20Poly1305.open(linkKey(newKey, oldEpoch), new byte[ChaCha20Poly1305.NONCE_LENGTH],
          linkAad(document, oldEpoch, newNonce), link.toByteArray());
      return key.length == EpochKey.LENGTH ? Optional.of(Bytes.wrap(key)) : Optional.empty();
    } catch (CryptoException e) {
      return Optional.empty();
    }
  }

  private static byte[] wrapInfo(Bytes epochNonce, Ed25519PublicKey member) {
    return Codec.concat(WRAP_INFO, epochNonce.toByteArray(), member.toBytes());
  }

  private static byte[] linkKey(Bytes newKey, OpId oldEpoch) {
    return Hkdf.derive(new byte[0], newKey.toByteArray(), Codec.concat(CHAIN_INFO, oldEpoch.bytes().toByteArray()),
        ChaCha20Poly1305.KEY_LENGTH);
  }

  private static byte[] linkAad(DocumentId document, OpId oldEpoch, Bytes newNonce) {
    return Codec.concat(document.bytes().toByteArray(), oldEpoch.bytes().toByteArray(), newNonce.toByteArray());
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One identity's verification marks: proof, kept beside the items in its own folder, that this
 * identity verified an item's signature, so that reopening the folder need not verify it again.
 * Immutable and thread-safe.
 *
 * <p>A mark is {@code HMAC-SHA256(k, "loam-mark-v1" ‖ document id ‖ item bytes)} with {@code k =
 * HKDF-SHA256(salt = "loam-mark-v1", ikm = the identity's Ed25519 seed, info = "verification
 * mark key")}. Nobody without the identity's private key can make a mark that verifies, so a
 * folder copied from someone else (a server's data folder, another member's) has no valid mark for
 * this identity and every item of it is verified; a changed item or a changed mark fails the HMAC
 * and the item is verified in full, never accepted on the mark's word. Why this is sound:
 * docs/security.md, "Verification once".
 */
final class VerificationMarks {
  private static final byte[] LABEL = "loam-mark-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO = "verification mark key".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeySpec key;

  VerificationMarks(Identity me) {
    this.key = new SecretKeySpec(Hkdf.derive(LABEL, me.signingKey().toSeed(), INFO, Hkdf.HASH_LENGTH), "HmacSHA256");
  }

  /** The mark of {@code encoded}, an item of {@code document}. */
  Bytes mark(DocumentId document, Bytes encoded) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(LABEL);
      mac.update(document.bytes().toByteArray());
      mac.update(encoded.toByteArray());
      return Bytes.wrap(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  /**
   * Every item of {@code document} in {@code store}, in order: those with a valid mark decoded
   * without a signature check, the others verified in full (concurrently) and then marked.
   * Blocks on storage I/O.
   *
   * @throws MalformedItemException if a stored item does not decode or verify (a damaged or forged store)
   */
  List<SecureItem> load(SecureStore store, DocumentId document) {
    List<SecureStore.StoredBytes> stored = store.loadEncoded(document);
    Map<Long, Bytes> marks = store.marks(document);
    List<SecureStore.StoredBytes> unmarked = new ArrayList<>();
    for (SecureStore.StoredBytes s : stored) {
      Bytes m = marks.get(s.seq());
      if (m == null || !MessageDigest.isEqual(m.toByteArray(), mark(document, s.encoded()).toByteArray())) {
        unmarked.add(s);
      }
    }
    List<SecureItem.Decoded> checked = SecureItem.decodeAll(unmarked.stream().map(SecureStore.StoredBytes::encoded).toList());
    Map<Long, SecureItem> verified = new HashMap<>();
    for (int i = 0; i < unmarked.size(); i++) {
      SecureStore.StoredBytes s = unmarked.get(i);
      switch (checked.get(i)) {
        case SecureItem.Decoded.Item item -> verified.put(s.seq(), item.item());
        case SecureItem.Decoded.Malformed bad -> throw new MalformedItemException(
            "stored item " + s.seq() + " of document " + document + ": " + bad.reason());
      }
    }
    List<SecureItem> out = new ArrayList<>(stored.size());
    for (SecureStore.StoredBytes s : stored) {
      SecureItem item = verified.get(s.seq());
      if (item == null) {
        out.add(VerifiedItems.decodeVerifiedBefore(s.encoded().toByteArray()));
      } else {
        store.saveMark(document, s.seq(), mark(document, s.encoded()));
        out.add(item);
      }
    }
    return out;
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.secure.crypto.Digests;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item decoding, with the signature checked at most once per process for the same bytes, and the
 * one path that skips the check for items verified before. Thread-safe.
 *
 * <p>The cache holds SHA-256 digests of whole encodings whose signature verified. A hit means the
 * very same bytes verified before, and Ed25519 verification is a deterministic function of the
 * bytes (key, message and signature are all inside them), so skipping it cannot change an answer.
 * Only successes are cached; bounded to {@link #CAPACITY} digests (65,536 unless the system property
 * {@value #CAPACITY_PROPERTY} says otherwise; 0 turns the cache off, for benchmarks that time
 * verification), least recently used first out.
 */
final class VerifiedItems {
  static final String CAPACITY_PROPERTY = "loam.secure.verifiedCache";
  static final int CAPACITY = Integer.getInteger(CAPACITY_PROPERTY, 1 << 16);

  private static final Map<Bytes, Boolean> VERIFIED = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Bytes, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  /** How many signatures this process checked (for tests). */
  private static final AtomicLong CHECKS = new AtomicLong();

  private VerifiedItems() {}

  /** {@link SecureItem#decode}: verifies unless these exact bytes verified before in this process. */
  static SecureItem decode(byte[] bytes) {
    if (bytes.length > SecureItem.MAX_ENCODED_BYTES) {
      return decode(bytes, true); // refused before any hashing
    }
    if (CAPACITY <= 0) {
      CHECKS.incrementAndGet();
      return decode(bytes, true);
    }
    Bytes digest = Bytes.wrap(Digests.sha256(bytes));
    boolean seen;
    synchronized (VERIFIED) {
      seen = VERIFIED.get(digest) != null;
    }
    if (!seen) {
      CHECKS.incrementAndGet();
    }
    SecureItem item = decode(bytes, !seen);
    if (!seen) {
      synchronized (VERIFIED) {
        VERIFIED.put(digest, Boolean.TRUE);
      }
    }
    return item;
  }

  /**
   * Reads one item WITHOUT checking its signature (format, sizes and op id are still checked): only
   * for bytes whose signature the caller checked before, kept where nobody else could have changed
   * them (docs/security.md, "Verification once"). Two callers only: {@link
   * SecureStore#loadVerifiedBefore}, for a server reloading its own store, and {@link
   * VerificationMarks}, for items that carry a valid mark of the identity opening them.
   */
  static SecureItem decodeVerifiedBefore(byte[] bytes) {
    return decode(bytes, false);
  }

  /**
   * The id of a well-formed item, without checking its signature: the id does not depend on the
   * signature's validity (an op's is the SHA-256 of all its bytes, an envelope's is in its header),
   * and the item itself is not used. For {@link SecureStore}'s index bookkeeping.
   *
   * @throws MalformedItemException if the bytes are not a well-formed item
   */
  static Bytes itemIdOf(byte[] bytes) {
    return decode(bytes, false).itemId();
  }

  /** How many signature checks {@link #decode} made in this process so far (for tests). */
  static long signatureChecks() {
    return CHECKS.get();
  }

  /** Forgets every verified digest, as a new process would (for tests). */
  static void forgetAll() {
    synchronized (VERIFIED) {
      VERIFIED.clear();
    }
  }

  private static SecureItem decode(byte[] bytes, boolean verify) {
    if (bytes.length > SecureItem.MAX_ENCODED_BYTES) {
      throw new MalformedItemException("an item is at most 16 MiB, not " + bytes.length + " bytes");
    }
    if (bytes.length >= 4 && Arrays.equals(bytes, 0, 4, OpCodec.MAGIC, 0, 4)) {
      return OpCodec.decode(bytes, verify);
    }
    if (bytes.length >= 4 && Arrays.equals(bytes, 0, 4, Envelope.MAGIC, 0, 4)) {
      return Envelope.decode(bytes, verify);
    }
    throw new MalformedItemException("not a secure item: it starts with neither \"LMOP\" nor \"LENV\"");
  }
}

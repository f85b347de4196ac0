package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;

/**
 * One signed unit of a secure document as it is stored and sent: a {@link MembershipOp} or an
 * {@link Envelope}. Its encoding starts with a four-byte magic saying which. Immutable.
 */
public sealed interface SecureItem permits MembershipOp, Envelope {
  /** The largest encoded item accepted from anyone (bigger ones are rejected before parsing). */
  int MAX_ENCODED_BYTES = 16 * 1024 * 1024;

  /** The document this item belongs to. */
  DocumentId documentId();

  /** The item's id: an {@link OpId}'s or an {@link EnvelopeId}'s 32 bytes. */
  Bytes itemId();

  /** The signed encoding, as stored and sent. */
  Bytes encoded();

  /**
   * Reads and verifies (format, sizes, signature, op id) one item.
   *
   * @throws MalformedItemException if the bytes are not a well-formed, correctly signed item
   */
  static SecureItem decode(byte[] bytes) {
    if (bytes.length > MAX_ENCODED_BYTES) {
      throw new MalformedItemException("an item is at most 16 MiB, not " + bytes.length + " bytes");
    }
    if (bytes.length >= 4 && java.util.Arrays.equals(bytes, 0, 4, OpCodec.MAGIC, 0, 4)) {
      return OpCodec.decode(bytes);
    }
    if (bytes.length >= 4 && java.util.Arrays.equals(bytes, 0, 4, Envelope.MAGIC, 0, 4)) {
      return Envelope.decode(bytes);
    }
    throw new MalformedItemException("not a secure item: it starts with neither \"LMOP\" nor \"LENV\"");
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import java.util.List;
import java.util.stream.IntStream;

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
   * Reads and verifies (format, sizes, signature, op id) one item. Bytes this process verified
   * before (the same bytes exactly, by SHA-256) skip the signature check, whose answer would be the
   * same. Thread-safe.
   *
   * @throws MalformedItemException if the bytes are not a well-formed, correctly signed item
   */
  static SecureItem decode(byte[] bytes) {
    return VerifiedItems.decode(bytes);
  }

  /**
   * Reads and verifies a batch of items, checking their signatures concurrently (on the common
   * fork-join pool); the outcome for each index is exactly what {@link #decode} gives for it.
   * Blocks until every item is checked.
   */
  static List<Decoded> decodeAll(List<Bytes> encoded) {
    Decoded[] out = new Decoded[encoded.size()];
    IntStream.range(0, out.length).parallel().forEach(i -> {
      try {
        out[i] = new Decoded.Item(decode(encoded.get(i).toByteArray()));
      } catch (MalformedItemException e) {
        out[i] = new Decoded.Malformed(e.getMessage());
      }
    });
    return List.of(out);
  }

  /** What {@link #decodeAll} made of one item: the item, or why it is malformed. */
  sealed interface Decoded {
    /** A well-formed, correctly signed item. */
    record Item(SecureItem item) implements Decoded {}

    /** Bytes that are not a well-formed, correctly signed item, and why. */
    record Malformed(String reason) implements Decoded {}
  }
}

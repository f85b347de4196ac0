package dev.loam.secure;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import java.util.List;
import java.util.Set;

/**
 * Secure documents at rest in a {@link StorageAdapter}: each document's items (membership ops and
 * envelopes, exactly as signed) under a per-document sequence number. A member's folder and the
 * server's data folder use this same layout (helper 'wire' owns it). Thread-safe.
 */
public final class SecureStore {
  private SecureStore() {}

  public static SecureStore on(StorageAdapter storage) { throw new UnsupportedOperationException("skeleton"); }

  /** One stored item and its sequence number in its document (1, 2, 3...). */
  public record Stored(long seq, SecureItem item) {}

  /**
   * Stores {@code item} after the document's last one unless an item with its id is stored already;
   * durable when it returns. Returns its sequence number (the existing one for a duplicate).
   *
   * @throws IllegalArgumentException if an item with the same id but other bytes is stored
   */
  public long append(SecureItem item) { throw new UnsupportedOperationException("skeleton"); }

  /** Up to {@code max} items of {@code document} with sequence numbers above {@code cursor}, in order. */
  public List<Stored> after(DocumentId document, long cursor, int max) { throw new UnsupportedOperationException("skeleton"); }

  /** Every item of {@code document}, in order; empty if the store does not hold it. */
  public List<SecureItem> load(DocumentId document) { throw new UnsupportedOperationException("skeleton"); }

  /** The secure documents stored (those whose genesis is stored). */
  public Set<DocumentId> documents() { throw new UnsupportedOperationException("skeleton"); }
}

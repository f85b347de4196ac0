package dev.loam.secure;

import dev.loam.Document;
import dev.loam.repo.id.DocumentId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One member's view of a secure document: its {@link SecureLog}, the epoch keys this identity can
 * open, and the plaintext {@link Document} materialized from the valid envelopes it can decrypt.
 * Not thread-safe (helper 'document' owns it).
 */
public final class SecureDocument {
  private SecureDocument() {}

  /** A new secure document whose root admin is {@code creator}: its genesis (and first epoch). */
  public static SecureDocument create(Identity creator) { throw new UnsupportedOperationException("skeleton"); }

  /** {@code me}'s view of the document made of {@code items} (admitted in order; invalid ones are left out). */
  public static SecureDocument open(Identity me, DocumentId document, List<SecureItem> items) { throw new UnsupportedOperationException("skeleton"); }

  public DocumentId id() { throw new UnsupportedOperationException("skeleton"); }
  public SecureUrl url() { throw new UnsupportedOperationException("skeleton"); }
  public SecureLog log() { throw new UnsupportedOperationException("skeleton"); }

  /** This identity's current level, empty if it is not (or no longer) a member. */
  public Optional<Level> level() { throw new UnsupportedOperationException("skeleton"); }

  /** Whether this identity can decrypt any of the document's epochs. */
  public boolean canRead() { throw new UnsupportedOperationException("skeleton"); }

  /** The plaintext document: every {@link Document} feature works on it; {@link #seal} turns local changes into envelopes. */
  public Document document() { throw new UnsupportedOperationException("skeleton"); }

  /** Seals the document's unsealed local changes (rotating first when rule 5 asks), returning the new items. */
  public List<SecureItem> seal() { throw new UnsupportedOperationException("skeleton"); }

  /** Adds (or changes the level of) {@code member}; returns the new items. */
  public List<SecureItem> share(MemberId member, Level level) { throw new UnsupportedOperationException("skeleton"); }

  /** Removes {@code member} and rotates the read key; returns the new items. */
  public List<SecureItem> unshare(MemberId member) { throw new UnsupportedOperationException("skeleton"); }

  public Map<MemberId, Level> members() { throw new UnsupportedOperationException("skeleton"); }

  /** Admits items from a peer or storage; applies the valid envelopes it can decrypt. Returns those admitted. */
  public List<SecureItem> receive(List<SecureItem> items) { throw new UnsupportedOperationException("skeleton"); }

  /** Every item of the log, in a causal order (what storage and sync hold). */
  public List<SecureItem> items() { throw new UnsupportedOperationException("skeleton"); }
}

package dev.loam.secure;

import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secure document's membership log and envelope DAG without any key: what the blind server and
 * every member compute alike (rules 1-4 of docs/security.md). Not thread-safe: callers confine it
 * or lock around it.
 */
public final class SecureLog {
  private SecureLog() {}

  /** An empty log for {@code document}; its first item must be the genesis whose id derives {@code document}. */
  public static SecureLog create(DocumentId document) { throw new UnsupportedOperationException("skeleton"); }

  public DocumentId documentId() { throw new UnsupportedOperationException("skeleton"); }

  /** Validates {@code item} against the log and adds it if valid; never throws for a bad item. */
  public Admission admit(SecureItem item) { throw new UnsupportedOperationException("skeleton"); }

  /** The current level of {@code member} (at the log's heads), empty if none. */
  public Optional<Level> level(Ed25519PublicKey member) { throw new UnsupportedOperationException("skeleton"); }

  /** The current members and their levels. */
  public Map<MemberId, Level> members() { throw new UnsupportedOperationException("skeleton"); }

  /** Whether {@code member} may fetch the document's items now ({@code relay} or above). */
  public boolean mayPull(Ed25519PublicKey member) { throw new UnsupportedOperationException("skeleton"); }

  /** Whether the envelope is in the log and valid by everything the log knows now (rule 4). */
  public boolean isValid(EnvelopeId envelope) { throw new UnsupportedOperationException("skeleton"); }

  /** Every accepted item, in the order admitted (a causal order). */
  public List<SecureItem> items() { throw new UnsupportedOperationException("skeleton"); }

  public List<OpId> membershipHeads() { throw new UnsupportedOperationException("skeleton"); }

  /** The heads of the valid envelopes. */
  public List<EnvelopeId> envelopeHeads() { throw new UnsupportedOperationException("skeleton"); }
}

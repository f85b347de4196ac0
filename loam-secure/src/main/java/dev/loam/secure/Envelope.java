package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * A signed, encrypted batch of Automerge change chunks: the header in clear (document, id, author,
 * parent envelopes, membership heads, epoch, key commitment), the ciphertext opaque. Helper 'rules'
 * owns the format; helper 'document' the plaintext inside. Immutable.
 */
public final class Envelope implements SecureItem {
  private Envelope() {}

  /** Builds and signs an envelope with {@code author}'s key. */
  public static Envelope sign(DocumentId document, EnvelopeId id, Ed25519PrivateKey author, List<EnvelopeId> parents,
      List<OpId> membershipHeads, OpId epoch, Bytes keyCommit, Bytes ciphertext) {
    throw new UnsupportedOperationException("skeleton");
  }

  /** The associated data the ciphertext is sealed with: binds document, epoch, author, id, parents, heads. */
  public static byte[] aad(DocumentId document, EnvelopeId id, Ed25519PublicKey author, List<EnvelopeId> parents,
      List<OpId> membershipHeads, OpId epoch) {
    throw new UnsupportedOperationException("skeleton");
  }

  public EnvelopeId id() { throw new UnsupportedOperationException("skeleton"); }
  public Ed25519PublicKey author() { throw new UnsupportedOperationException("skeleton"); }
  public List<EnvelopeId> parents() { throw new UnsupportedOperationException("skeleton"); }
  public List<OpId> membershipHeads() { throw new UnsupportedOperationException("skeleton"); }
  public OpId epoch() { throw new UnsupportedOperationException("skeleton"); }
  public Bytes keyCommit() { throw new UnsupportedOperationException("skeleton"); }
  public Bytes ciphertext() { throw new UnsupportedOperationException("skeleton"); }

  @Override public DocumentId documentId() { throw new UnsupportedOperationException("skeleton"); }
  @Override public Bytes itemId() { throw new UnsupportedOperationException("skeleton"); }
  @Override public Bytes encoded() { throw new UnsupportedOperationException("skeleton"); }
}

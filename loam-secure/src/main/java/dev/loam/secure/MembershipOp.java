package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A signed op of a secure document's membership log: {@link Genesis}, {@link Add}, {@link Remove}
 * or {@link Rotate}. Ops are made only by {@link SecureItem#decode} (which verifies them, or found
 * these bytes verified before), by reloading a store whose items were verified when stored, and by
 * the factories on each record (which sign them); every op carries its {@link Proof}: the signed
 * encoding, the op id, the document, the issuer and the parent ops. Immutable and thread-safe.
 *
 * <p>The encoding (drawn in the package's {@code OpCodec}) is canonical: one encoding per op, so the op id, the
 * SHA-256 of the encoding, names exactly one op.
 */
public sealed interface MembershipOp extends SecureItem
    permits MembershipOp.Genesis, MembershipOp.Add, MembershipOp.Remove, MembershipOp.Rotate {
  /** The length of the random nonce of a genesis or rotate op (which wraps of its epoch key are bound to). */
  int NONCE_LENGTH = 16;

  /** The signed encoding and what every op commits to. */
  Proof proof();

  /** The op's id: SHA-256 of its signed encoding. */
  default OpId id() {
    return proof().id();
  }

  /** The key that signed the op. */
  default Ed25519PublicKey issuer() {
    return proof().issuer();
  }

  /** The ops this one follows, ascending (empty only for genesis). */
  default List<OpId> parents() {
    return proof().parents();
  }

  @Override
  default DocumentId documentId() {
    return proof().document();
  }

  @Override
  default Bytes itemId() {
    return id().bytes();
  }

  @Override
  default Bytes encoded() {
    return proof().encoded();
  }

  /**
   * What an op's signature covers and what the log keys it by. Created only by this package (by
   * decoding or signing), so it always matches the op that holds it. Immutable.
   */
  final class Proof {
    private final DocumentId document;
    private final Ed25519PublicKey issuer;
    private final List<OpId> parents;
    private final Bytes encoded;
    private final OpId id;

    Proof(DocumentId document, Ed25519PublicKey issuer, List<OpId> parents, Bytes encoded, OpId id) {
      this.document = document;
      this.issuer = issuer;
      this.parents = List.copyOf(parents);
      this.encoded = encoded;
      this.id = id;
    }

    /** The document the op belongs to (derived from the op's id for a genesis). */
    public DocumentId document() {
      return document;
    }

    /** The key that signed the op. */
    public Ed25519PublicKey issuer() {
      return issuer;
    }

    /** The ops the op follows, ascending. */
    public List<OpId> parents() {
      return parents;
    }

    /** The signed encoding. */
    public Bytes encoded() {
      return encoded;
    }

    /** SHA-256 of the signed encoding. */
    public OpId id() {
      return id;
    }

    @Override
    public boolean equals(@org.jspecify.annotations.Nullable Object other) {
      return other instanceof Proof p && p.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return "Proof[" + id + "]";
    }
  }

  /** An epoch key sealed for one member (in a rotate): HPKE to the member's X25519 key (80 bytes). */
  record Wrap(Ed25519PublicKey member, Bytes sealed) {}

  /** An older epoch's key sealed under the rotate's new key, so members of the new epoch read history. */
  record Link(OpId epoch, Bytes sealed) {}

  /** The key of an existing epoch sealed for the member an {@link Add} adds. */
  record Grant(OpId epoch, Bytes sealed) {}

  /** An op together with the epoch key it opened (what {@link Genesis#create} and {@link Rotate#create} return). */
  record WithKey<T extends MembershipOp>(T op, EpochKey key) {}

  /**
   * The op that creates a document: its root admin (never removable) and its first epoch, whose
   * key is wrapped for the root. The document id derives from this op's id ({@link #documentIdOf}).
   */
  record Genesis(Proof proof, MemberId root, Bytes nonce, Bytes rootWrap) implements MembershipOp {
    /**
     * A new document's genesis, signed by {@code root}, with a fresh epoch-0 key wrapped for it.
     * Needs nothing else: the document id is {@code op.documentId()}.
     */
    public static WithKey<Genesis> create(Identity root, SecureRandom random) {
      return OpCodec.genesis(root, random);
    }

    /** The id of the document whose genesis has id {@code genesis}: SHA-256("loam-secure-doc-v1" | id)[0..16]. */
    public static DocumentId documentIdOf(OpId genesis) {
      return OpCodec.documentIdOf(genesis);
    }
  }

  /**
   * Gives {@code member} a level (or changes it). A {@code read}+ level carries the {@link Grant}
   * of one epoch key for the member; a {@code relay} never does.
   */
  record Add(Proof proof, MemberId member, Level level, Optional<Grant> grant) implements MembershipOp {
    /**
     * Signs an add. Needs the document, the issuer's membership heads ({@link SecureLog#membershipHeads()}
     * as parents), and for a {@code read}+ level the key of the epoch to grant (the writer's epoch,
     * see {@link Epochs}); {@link Epochs#add} gathers these from a log.
     *
     * @throws IllegalArgumentException if a key is given for {@code relay} or missing for {@code read}+,
     *     or there are no parents or too many
     */
    public static Add sign(Identity issuer, DocumentId document, Collection<OpId> parents, MemberId member, Level level,
        Optional<EpochKey> key) {
      return sign(issuer, document, parents, member, level, key, new SecureRandom());
    }

    /** {@link #sign(Identity, DocumentId, Collection, MemberId, Level, Optional)} with the wrap's randomness from {@code random}. */
    public static Add sign(Identity issuer, DocumentId document, Collection<OpId> parents, MemberId member, Level level,
        Optional<EpochKey> key, SecureRandom random) {
      return OpCodec.add(issuer, document, parents, member, level, key, random);
    }
  }

  /**
   * Removes {@code member} (its signing key). Its envelopes and ops count only if they lie in the
   * causal past of the cutoff (envelope ids), or before this op.
   */
  record Remove(Proof proof, Ed25519PublicKey member, List<EnvelopeId> cutoff) implements MembershipOp {
    /**
     * Signs a remove. Needs the document, the issuer's membership heads as parents, and the cutoff:
     * the envelope heads the issuer knows ({@link SecureLog#envelopeHeads()}); {@link Epochs#remove}
     * gathers these from a log.
     */
    public static Remove sign(Identity issuer, DocumentId document, Collection<OpId> parents, Ed25519PublicKey member,
        Collection<EnvelopeId> cutoff) {
      return OpCodec.remove(issuer, document, parents, member, cutoff);
    }
  }

  /**
   * Opens a new epoch: a fresh key wrapped for each listed member, and links that give the older
   * epoch keys under the new one. Its id names the epoch.
   */
  record Rotate(Proof proof, Bytes nonce, List<Wrap> wraps, List<Link> previous) implements MembershipOp {
    /**
     * Signs a rotate with a fresh key from {@code random}. Needs the document, the issuer's membership
     * heads as parents, every current {@code read}+ member as recipients, and the keys of the epoch
     * heads the issuer knows (chained under the new key); {@link Epochs#rotate} gathers these.
     */
    public static WithKey<Rotate> create(Identity issuer, DocumentId document, Collection<OpId> parents,
        Collection<MemberId> recipients, Collection<EpochKey> previous, SecureRandom random) {
      return OpCodec.rotate(issuer, document, parents, recipients, previous, random);
    }
  }
}

package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.crypto.Ed25519PrivateKey;
import dev.loam.secure.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A signed, encrypted batch of Automerge change chunks: the header in clear (document, id, author,
 * parent envelopes, membership heads, epoch, key commitment), the ciphertext opaque. Immutable and
 * thread-safe; made only by {@link #sign}, {@link SecureItem#decode} and by reloading a store whose
 * items were verified when stored.
 *
 * <pre>
 * size  field
 * 4     magic "LENV"
 * 1     version = 1
 * 16    document id
 * 32    envelope id
 * 32    author signing key
 * v     parent count (0..1024), then 32-byte envelope ids, strictly ascending
 * v     membership head count (1..1024), then 32-byte op ids, strictly ascending
 * 32    epoch (the op id of a genesis or rotate)
 *       ---- everything above is the associated data of the ciphertext ({@link #aad})
 * 32    key commitment
 * v     ciphertext length (16 .. 16 MiB), then the ciphertext with its tag
 * 64    Ed25519 signature by the author over "loam-envelope-v1\0" | all bytes above
 * </pre>
 * v = unsigned LEB128 varint in its shortest form. Lists are sets: {@link #sign} sorts them.
 */
public final class Envelope implements SecureItem {
  static final byte[] MAGIC = {'L', 'E', 'N', 'V'};
  private static final int VERSION = 1;
  private static final int DOC_LENGTH = 16;
  private static final int COMMIT_LENGTH = 32;
  private static final int MIN_CIPHERTEXT = 16;
  private static final int SIGNATURE = Ed25519PublicKey.SIGNATURE_LENGTH;
  private static final byte[] DOMAIN = "loam-envelope-v1\0".getBytes(StandardCharsets.US_ASCII);

  private final DocumentId document;
  private final EnvelopeId id;
  private final Ed25519PublicKey author;
  private final List<EnvelopeId> parents;
  private final List<OpId> membershipHeads;
  private final OpId epoch;
  private final Bytes keyCommit;
  private final Bytes ciphertext;
  private final Bytes encoded;

  private Envelope(DocumentId document, EnvelopeId id, Ed25519PublicKey author, List<EnvelopeId> parents,
      List<OpId> membershipHeads, OpId epoch, Bytes keyCommit, Bytes ciphertext, Bytes encoded) {
    this.document = document;
    this.id = id;
    this.author = author;
    this.parents = parents;
    this.membershipHeads = membershipHeads;
    this.epoch = epoch;
    this.keyCommit = keyCommit;
    this.ciphertext = ciphertext;
    this.encoded = encoded;
  }

  /**
   * Builds and signs an envelope with {@code author}'s key. {@code parents} and {@code
   * membershipHeads} are sets (sorted here); the ciphertext must have been sealed with
   * {@link #aad} of the same values.
   *
   * @throws IllegalArgumentException if a count or size is outside the limits of the format
   */
  public static Envelope sign(DocumentId document, EnvelopeId id, Ed25519PrivateKey author, List<EnvelopeId> parents,
      List<OpId> membershipHeads, OpId epoch, Bytes keyCommit, Bytes ciphertext) {
    if (keyCommit.size() != COMMIT_LENGTH) {
      throw new IllegalArgumentException("a key commitment has " + COMMIT_LENGTH + " bytes, not " + keyCommit.size());
    }
    if (ciphertext.size() < MIN_CIPHERTEXT || ciphertext.size() > MAX_ENCODED_BYTES) {
      throw new IllegalArgumentException("a ciphertext has " + MIN_CIPHERTEXT + " bytes to 16 MiB, not " + ciphertext.size());
    }
    Codec.Writer w = header(document, id, author.publicKey(), parents, membershipHeads, epoch).raw(keyCommit).blob(ciphertext);
    byte[] body = w.toByteArray();
    byte[] signed = Codec.concat(body, author.sign(Codec.concat(DOMAIN, body)));
    if (signed.length > MAX_ENCODED_BYTES) {
      throw new IllegalArgumentException("an envelope is at most 16 MiB encoded, not " + signed.length);
    }
    return new Envelope(document, id, author.publicKey(), Codec.sortedSet(parents), Codec.sortedSet(membershipHeads), epoch,
        keyCommit, ciphertext, Bytes.wrap(signed));
  }

  /**
   * The associated data the ciphertext is sealed with: the header's encoding from the magic through
   * the epoch, so it binds document, id, author, parents, membership heads and epoch.
   *
   * @throws IllegalArgumentException if a count is outside the limits of the format
   */
  public static byte[] aad(DocumentId document, EnvelopeId id, Ed25519PublicKey author, List<EnvelopeId> parents,
      List<OpId> membershipHeads, OpId epoch) {
    return header(document, id, author, parents, membershipHeads, epoch).toByteArray();
  }

  private static Codec.Writer header(DocumentId document, EnvelopeId id, Ed25519PublicKey author,
      Collection<EnvelopeId> parents, Collection<OpId> membershipHeads, OpId epoch) {
    if (document.bytes().size() != DOC_LENGTH) {
      throw new IllegalArgumentException("a secure document id has " + DOC_LENGTH + " bytes: " + document);
    }
    List<EnvelopeId> p = Codec.sortedSet(parents);
    List<OpId> h = Codec.sortedSet(membershipHeads);
    if (p.size() > Codec.MAX_REFS || h.isEmpty() || h.size() > Codec.MAX_REFS) {
      throw new IllegalArgumentException("an envelope names 0.." + Codec.MAX_REFS + " parents and 1.." + Codec.MAX_REFS
          + " membership heads, not " + p.size() + " and " + h.size());
    }
    return new Codec.Writer().raw(MAGIC).u8(VERSION).raw(document.bytes()).raw(id.bytes()).raw(author.toBytes())
        .list(p, EnvelopeId::bytes).list(h, OpId::bytes).raw(epoch.bytes());
  }

  /**
   * Decodes an envelope whose first four bytes are {@link #MAGIC}, checking its signature only if
   * {@code verify} (see {@link SecureItem#decodeVerifiedBefore} for who may pass {@code false}).
   */
  static Envelope decode(byte[] bytes, boolean verify) {
    if (bytes.length < MAGIC.length + 1 + SIGNATURE) {
      throw new MalformedItemException("truncated: an envelope has at least " + (MAGIC.length + 1 + SIGNATURE) + " bytes");
    }
    byte[] body = Arrays.copyOf(bytes, bytes.length - SIGNATURE);
    Codec.Reader r = new Codec.Reader(body, MAGIC.length);
    int version = r.u8("version");
    if (version != VERSION) {
      throw new MalformedItemException("envelope version " + version + " is not " + VERSION);
    }
    DocumentId document = DocumentId.of(r.fixed(DOC_LENGTH, "document id"));
    EnvelopeId id = EnvelopeId.of(r.fixed(EnvelopeId.LENGTH, "envelope id"));
    Ed25519PublicKey author = OpCodec.signingKey(r, "author");
    List<EnvelopeId> parents = r.sortedList(Codec.MAX_REFS, EnvelopeId.LENGTH, "parents").stream().map(EnvelopeId::new).toList();
    List<OpId> heads = r.sortedList(Codec.MAX_REFS, OpId.LENGTH, "membership heads").stream().map(OpId::new).toList();
    if (heads.isEmpty()) {
      throw new MalformedItemException("an envelope names at least one membership head");
    }
    OpId epoch = OpId.of(r.fixed(OpId.LENGTH, "epoch"));
    Bytes keyCommit = Bytes.wrap(r.fixed(COMMIT_LENGTH, "key commitment"));
    Bytes ciphertext = r.blob(MAX_ENCODED_BYTES, "ciphertext");
    if (ciphertext.size() < MIN_CIPHERTEXT) {
      throw new MalformedItemException("a ciphertext has at least " + MIN_CIPHERTEXT + " bytes, not " + ciphertext.size());
    }
    r.end("envelope");
    if (verify && !author.verify(Codec.concat(DOMAIN, body), Arrays.copyOfRange(bytes, body.length, bytes.length))) {
      throw new MalformedItemException("the envelope's signature does not verify with its author's key");
    }
    return new Envelope(document, id, author, parents, heads, epoch, keyCommit, ciphertext, Bytes.of(bytes));
  }

  /** The envelope's id, chosen by its author. */
  public EnvelopeId id() {
    return id;
  }

  /** The member who wrote and signed the envelope. */
  public Ed25519PublicKey author() {
    return author;
  }

  /** The envelopes this one follows, ascending. */
  public List<EnvelopeId> parents() {
    return parents;
  }

  /** The membership heads the author wrote under, ascending. */
  public List<OpId> membershipHeads() {
    return membershipHeads;
  }

  /** The epoch whose key (through HKDF with the envelope id) encrypts the ciphertext. */
  public OpId epoch() {
    return epoch;
  }

  /** The key commitment: binds the ciphertext to the one key that opens it. */
  public Bytes keyCommit() {
    return keyCommit;
  }

  /** The encrypted changes. */
  public Bytes ciphertext() {
    return ciphertext;
  }

  /** The associated data this envelope's ciphertext was sealed with. */
  public byte[] aad() {
    return aad(document, id, author, parents, membershipHeads, epoch);
  }

  @Override
  public DocumentId documentId() {
    return document;
  }

  @Override
  public Bytes itemId() {
    return id.bytes();
  }

  @Override
  public Bytes encoded() {
    return encoded;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Envelope e && e.encoded.equals(encoded);
  }

  @Override
  public int hashCode() {
    return encoded.hashCode();
  }

  @Override
  public String toString() {
    return "Envelope[" + id + " by " + author + ", " + ciphertext.size() + " bytes]";
  }
}

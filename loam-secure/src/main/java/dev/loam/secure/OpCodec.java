package dev.loam.secure;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Grant;
import dev.loam.secure.MembershipOp.Link;
import dev.loam.secure.MembershipOp.Proof;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.MembershipOp.WithKey;
import dev.loam.secure.MembershipOp.Wrap;
import dev.loam.secure.crypto.CryptoException;
import dev.loam.secure.crypto.Digests;
import dev.loam.secure.crypto.Ed25519PublicKey;
import dev.loam.secure.crypto.X25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Encodes, signs, decodes and verifies membership ops. Stateless and thread-safe.
 *
 * <pre>
 * size  field
 * 4     magic "LMOP"
 * 1     version = 1
 * 1     kind: 0 genesis, 1 add, 2 remove, 3 rotate
 * genesis:
 *   32  root signing key      32  root encryption key      16  nonce      80  wrap of epoch-0 key for root
 * add, remove, rotate:
 *   16  document id           32  issuer signing key
 *   v   parent count (1..1024), then 32-byte op ids, strictly ascending
 *   add:    32 member signing key, 32 member encryption key, 1 level (0 relay .. 3 admin),
 *           and only for read+: 32 granted epoch id, 80 wrap
 *   remove: 32 member signing key, v cutoff count (0..1024), then 32-byte envelope ids, strictly ascending
 *   rotate: 16 nonce, v wrap count (0..10000), then (32 member key, 80 wrap) strictly ascending by key,
 *           v link count (0..1024), then (32 epoch id, 48 link) strictly ascending by epoch id
 * 64    Ed25519 signature by the issuer (the root for genesis) over "loam-op-v1\0" | all bytes above
 * </pre>
 * v = unsigned LEB128 varint in its shortest form. The op id is SHA-256 of all the bytes.
 */
final class OpCodec {
  static final byte[] MAGIC = {'L', 'M', 'O', 'P'};
  private static final int VERSION = 1;
  private static final int GENESIS = 0;
  private static final int ADD = 1;
  private static final int REMOVE = 2;
  private static final int ROTATE = 3;
  private static final int DOC_LENGTH = 16;
  private static final int KEY = 32;
  private static final int SIGNATURE = Ed25519PublicKey.SIGNATURE_LENGTH;
  private static final byte[] DOMAIN = "loam-op-v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOC_DOMAIN = "loam-secure-doc-v1".getBytes(StandardCharsets.US_ASCII);

  private OpCodec() {}

  static DocumentId documentIdOf(OpId genesis) {
    return DocumentId.of(Arrays.copyOf(Digests.sha256(Codec.concat(DOC_DOMAIN, genesis.bytes().toByteArray())), DOC_LENGTH));
  }

  // ---- signing

  static WithKey<Genesis> genesis(Identity root, SecureRandom random) {
    byte[] nonce = new byte[MembershipOp.NONCE_LENGTH];
    random.nextBytes(nonce);
    Bytes key = randomKey(random);
    MemberId id = root.memberId();
    Codec.Writer w = head(GENESIS).raw(id.signingKey().toBytes()).raw(id.encryptionKey().toBytes()).raw(nonce)
        .raw(Wraps.wrap(id.encryptionKey(), id.signingKey(), Bytes.wrap(nonce), key, random));
    Genesis op = (Genesis) signed(w, root);
    return new WithKey<>(op, new EpochKey(op.id(), op.nonce(), key));
  }

  static Add add(Identity issuer, DocumentId document, Collection<OpId> parents, MemberId member, Level level,
      Optional<EpochKey> key, SecureRandom random) {
    if (key.isPresent() != level.atLeast(Level.READ)) {
      throw new IllegalArgumentException("an add of a " + level.label() + " member "
          + (level.atLeast(Level.READ) ? "needs" : "never carries") + " an epoch key");
    }
    Codec.Writer w = body(ADD, issuer, document, parents).raw(member.signingKey().toBytes())
        .raw(member.encryptionKey().toBytes()).u8(level.ordinal());
    key.ifPresent(k -> w.raw(k.epoch().bytes()).raw(Wraps.wrap(member.encryptionKey(), member.signingKey(), k.nonce(), k.key(), random)));
    return (Add) signed(w, issuer);
  }

  static Remove remove(Identity issuer, DocumentId document, Collection<OpId> parents, Ed25519PublicKey member,
      Collection<EnvelopeId> cutoff) {
    List<EnvelopeId> sorted = Codec.sortedSet(cutoff);
    refs(sorted.size(), 0, "cutoff envelopes");
    Codec.Writer w = body(REMOVE, issuer, document, parents).raw(member.toBytes()).list(sorted, EnvelopeId::bytes);
    return (Remove) signed(w, issuer);
  }

  static WithKey<Rotate> rotate(Identity issuer, DocumentId document, Collection<OpId> parents,
      Collection<MemberId> recipients, Collection<EpochKey> previous, SecureRandom random) {
    byte[] nonceBytes = new byte[MembershipOp.NONCE_LENGTH];
    random.nextBytes(nonceBytes);
    Bytes nonce = Bytes.wrap(nonceBytes);
    Bytes key = randomKey(random);
    List<MemberId> members = new ArrayList<>(recipients.stream().distinct().toList());
    members.sort(Comparator.comparing(m -> Bytes.wrap(m.signingKey().toBytes())));
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i).signingKey().equals(members.get(i - 1).signingKey())) {
        throw new IllegalArgumentException("two recipients share a signing key: " + members.get(i));
      }
    }
    if (members.size() > Codec.MAX_WRAPS) {
      throw new IllegalArgumentException("a rotate wraps for at most " + Codec.MAX_WRAPS + " members, not " + members.size());
    }
    List<EpochKey> links = new ArrayList<>(previous.stream().distinct().toList());
    links.sort(Comparator.comparing(EpochKey::epoch));
    refs(links.size(), 0, "chained epochs");
    Codec.Writer w = body(ROTATE, issuer, document, parents).raw(nonce).varint(members.size());
    for (MemberId m : members) {
      w.raw(m.signingKey().toBytes()).raw(Wraps.wrap(m.encryptionKey(), m.signingKey(), nonce, key, random));
    }
    w.varint(links.size());
    for (EpochKey old : links) {
      w.raw(old.epoch().bytes()).raw(Wraps.link(document, old.epoch(), old.key(), nonce, key));
    }
    Rotate op = (Rotate) signed(w, issuer);
    return new WithKey<>(op, new EpochKey(op.id(), nonce, key));
  }

  private static Bytes randomKey(SecureRandom random) {
    byte[] key = new byte[EpochKey.LENGTH];
    random.nextBytes(key);
    return Bytes.wrap(key);
  }

  private static void refs(int n, int min, String what) {
    if (n < min || n > Codec.MAX_REFS) {
      throw new IllegalArgumentException("an op names " + min + " to " + Codec.MAX_REFS + " " + what + ", not " + n);
    }
  }

  private static Codec.Writer head(int kind) {
    return new Codec.Writer().raw(MAGIC).u8(VERSION).u8(kind);
  }

  private static Codec.Writer body(int kind, Identity issuer, DocumentId document, Collection<OpId> parents) {
    if (document.bytes().size() != DOC_LENGTH) {
      throw new IllegalArgumentException("a secure document id has " + DOC_LENGTH + " bytes: " + document);
    }
    List<OpId> sorted = Codec.sortedSet(parents);
    refs(sorted.size(), 1, "parents");
    return head(kind).raw(document.bytes()).raw(issuer.signingKey().publicKey().toBytes()).list(sorted, OpId::bytes);
  }

  private static MembershipOp signed(Codec.Writer w, Identity issuer) {
    byte[] body = w.toByteArray();
    byte[] signature = issuer.signingKey().sign(Codec.concat(DOMAIN, body));
    return decode(Codec.concat(body, signature));
  }

  // ---- decoding

  /** Decodes and verifies an op whose first four bytes are {@link #MAGIC}. */
  static MembershipOp decode(byte[] bytes) {
    return decode(bytes, true);
  }

  /**
   * Decodes an op whose first four bytes are {@link #MAGIC}, checking its signature only if
   * {@code verify} (see {@link SecureItem#decodeVerifiedBefore} for who may pass {@code false}).
   */
  static MembershipOp decode(byte[] bytes, boolean verify) {
    if (bytes.length < MAGIC.length + 2 + SIGNATURE) {
      throw new MalformedItemException("truncated: an op has at least " + (MAGIC.length + 2 + SIGNATURE) + " bytes");
    }
    Codec.Reader r = new Codec.Reader(Arrays.copyOf(bytes, bytes.length - SIGNATURE), MAGIC.length);
    int version = r.u8("version");
    if (version != VERSION) {
      throw new MalformedItemException("op version " + version + " is not " + VERSION);
    }
    int kind = r.u8("kind");
    Bytes encoded = Bytes.of(bytes);
    OpId id = OpId.of(Digests.sha256(bytes));
    if (kind == GENESIS) {
      MemberId root = member(r, "root");
      Bytes nonce = Bytes.wrap(r.fixed(MembershipOp.NONCE_LENGTH, "nonce"));
      Bytes wrap = Bytes.wrap(r.fixed(Wraps.WRAP_LENGTH, "root wrap"));
      Proof proof = verified(r, bytes, verify, new Proof(documentIdOf(id), root.signingKey(), List.of(), encoded, id));
      return new Genesis(proof, root, nonce, wrap);
    }
    DocumentId document = DocumentId.of(r.fixed(DOC_LENGTH, "document id"));
    Ed25519PublicKey issuer = signingKey(r, "issuer");
    List<Bytes> parentBytes = r.sortedList(Codec.MAX_REFS, OpId.LENGTH, "parents");
    if (parentBytes.isEmpty()) {
      throw new MalformedItemException("only a genesis op has no parents");
    }
    List<OpId> parents = parentBytes.stream().map(OpId::new).toList();
    return switch (kind) {
      case ADD -> {
        MemberId member = member(r, "member");
        int levelCode = r.u8("level");
        if (levelCode >= Level.values().length) {
          throw new MalformedItemException("level " + levelCode + " is not one of 0..3");
        }
        Level level = Level.values()[levelCode];
        Optional<Grant> grant = level.atLeast(Level.READ)
            ? Optional.of(new Grant(OpId.of(r.fixed(OpId.LENGTH, "granted epoch")), Bytes.wrap(r.fixed(Wraps.WRAP_LENGTH, "grant"))))
            : Optional.empty();
        yield new Add(verified(r, bytes, verify, new Proof(document, issuer, parents, encoded, id)), member, level, grant);
      }
      case REMOVE -> {
        Ed25519PublicKey member = signingKey(r, "member");
        List<EnvelopeId> cutoff = r.sortedList(Codec.MAX_REFS, EnvelopeId.LENGTH, "cutoff envelopes").stream()
            .map(EnvelopeId::new).toList();
        yield new Remove(verified(r, bytes, verify, new Proof(document, issuer, parents, encoded, id)), member, cutoff);
      }
      case ROTATE -> {
        Bytes nonce = Bytes.wrap(r.fixed(MembershipOp.NONCE_LENGTH, "nonce"));
        List<Wrap> wraps = new ArrayList<>();
        for (Bytes entry : r.sortedList(Codec.MAX_WRAPS, KEY + Wraps.WRAP_LENGTH, "wraps")) {
          byte[] e = entry.toByteArray();
          Ed25519PublicKey member = keyOf(Arrays.copyOf(e, KEY), "wrapped member");
          if (!wraps.isEmpty() && wraps.getLast().member().equals(member)) {
            throw new MalformedItemException("two wraps for one member");
          }
          wraps.add(new Wrap(member, Bytes.wrap(Arrays.copyOfRange(e, KEY, e.length))));
        }
        List<Link> links = new ArrayList<>();
        for (Bytes entry : r.sortedList(Codec.MAX_REFS, OpId.LENGTH + Wraps.LINK_LENGTH, "links")) {
          byte[] e = entry.toByteArray();
          OpId epoch = OpId.of(Arrays.copyOf(e, OpId.LENGTH));
          if (!links.isEmpty() && links.getLast().epoch().equals(epoch)) {
            throw new MalformedItemException("two links for one epoch");
          }
          links.add(new Link(epoch, Bytes.wrap(Arrays.copyOfRange(e, OpId.LENGTH, e.length))));
        }
        yield new Rotate(verified(r, bytes, verify, new Proof(document, issuer, parents, encoded, id)), nonce, wraps, links);
      }
      default -> throw new MalformedItemException("op kind " + kind + " is not one of 0..3");
    };
  }

  private static Proof verified(Codec.Reader r, byte[] bytes, boolean verify, Proof proof) {
    r.end("op");
    if (!verify) {
      return proof;
    }
    byte[] body = Arrays.copyOf(bytes, bytes.length - SIGNATURE);
    byte[] signature = Arrays.copyOfRange(bytes, bytes.length - SIGNATURE, bytes.length);
    if (!proof.issuer().verify(Codec.concat(DOMAIN, body), signature)) {
      throw new MalformedItemException("the op's signature does not verify with its issuer's key");
    }
    return proof;
  }

  private static MemberId member(Codec.Reader r, String what) {
    Ed25519PublicKey signing = signingKey(r, what);
    try {
      return MemberId.of(signing, X25519PublicKey.fromBytes(r.fixed(KEY, what + " encryption key")));
    } catch (CryptoException e) {
      throw new MalformedItemException(what + ": not an X25519 public key", e);
    }
  }

  static Ed25519PublicKey signingKey(Codec.Reader r, String what) {
    return keyOf(r.fixed(KEY, what + " key"), what);
  }

  private static Ed25519PublicKey keyOf(byte[] bytes, String what) {
    try {
      return Ed25519PublicKey.fromBytes(bytes);
    } catch (CryptoException e) {
      throw new MalformedItemException(what + ": not an Ed25519 public key", e);
    }
  }
}

package dev.loam.server;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.EnvelopeId;
import dev.loam.secure.EpochKey;
import dev.loam.secure.Envelope;
import dev.loam.secure.Identity;
import dev.loam.secure.Level;
import dev.loam.secure.MembershipOp;
import dev.loam.secure.OpId;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import dev.loam.secure.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * A secure document built by hand for server tests: Alice's genesis, members added with signed ops,
 * envelopes whose ciphertext is ChaCha20-Poly1305 over a given plaintext under a key derived from
 * the epoch key (as a member's client would; the server never sees the key).
 */
final class SecureFixture {
  /** A clock tests move by hand. */
  static final class Clock implements InstantSource {
    private volatile Instant now = Instant.parse("2026-12-06T08:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final SecureRandom random;
  final Identity alice;
  final MembershipOp.Genesis genesis;
  final EpochKey epoch0;
  final DocumentId doc;

  SecureFixture() {
    random = new SecureRandom();
    alice = Identity.generate(random);
    MembershipOp.WithKey<MembershipOp.Genesis> g = MembershipOp.Genesis.create(alice, random);
    genesis = g.op();
    epoch0 = g.key();
    doc = genesis.documentId();
  }

  Identity identity() {
    return Identity.generate(random);
  }

  static List<OpId> on(MembershipOp... ops) {
    return java.util.Arrays.stream(ops).map(MembershipOp::id).toList();
  }

  MembershipOp.Add add(Identity issuer, List<OpId> parents, Identity member, Level level) {
    return MembershipOp.Add.sign(issuer, doc, parents, member.memberId(), level,
        level.atLeast(Level.READ) ? Optional.of(epoch0) : Optional.empty());
  }

  /** An envelope by {@code author} whose ciphertext seals {@code plaintext} under epoch 0. */
  Envelope envelope(Identity author, List<EnvelopeId> parents, List<OpId> heads, String plaintext) {
    return envelope(doc, author, parents, heads, plaintext);
  }

  Envelope envelope(DocumentId document, Identity author, List<EnvelopeId> parents, List<OpId> heads, String plaintext) {
    EnvelopeId id = EnvelopeId.random(random);
    byte[] key = Hkdf.derive(id.bytes().toByteArray(), epoch0.key().toByteArray(),
        "loam-envelope-v1".getBytes(StandardCharsets.US_ASCII), 32);
    byte[] aad = Envelope.aad(document, id, author.signingKey().publicKey(), parents, heads, genesis.id());
    byte[] ciphertext = ChaCha20Poly1305.seal(key, new byte[12], aad, plaintext.getBytes(StandardCharsets.UTF_8));
    byte[] commit = Hkdf.derive(new byte[0], key, "commit".getBytes(StandardCharsets.US_ASCII), 32);
    return Envelope.sign(document, id, author.signingKey(), parents, heads, genesis.id(), Bytes.wrap(commit),
        Bytes.wrap(ciphertext));
  }

  /** What a member holding the epoch key reads from {@code e}. */
  String open(Envelope e) {
    byte[] key = Hkdf.derive(e.id().bytes().toByteArray(), epoch0.key().toByteArray(),
        "loam-envelope-v1".getBytes(StandardCharsets.US_ASCII), 32);
    return new String(ChaCha20Poly1305.open(key, new byte[12], e.aad(), e.ciphertext().toByteArray()),
        StandardCharsets.UTF_8);
  }
}

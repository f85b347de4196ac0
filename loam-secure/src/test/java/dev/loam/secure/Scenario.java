package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import dev.loam.repo.id.DocumentId;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.MembershipOp.WithKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hand-built secure documents for tests: identities, a genesis, ops built on explicit parents (so
 * concurrent branches are easy to write), and envelopes with dummy ciphertext (the log never
 * decrypts).
 */
final class Scenario {
  final SecureRandom random;
  final Identity root;
  final Genesis genesis;
  final EpochKey epoch0;
  final DocumentId doc;

  Scenario(long seed) {
    random = TestSeeds.random(seed);
    root = Identity.generate(random);
    WithKey<Genesis> g = Genesis.create(root, random);
    genesis = g.op();
    epoch0 = g.key();
    doc = genesis.documentId();
  }

  Identity identity() {
    return Identity.generate(random);
  }

  SecureLog log() {
    SecureLog log = SecureLog.create(doc);
    expect(Admission.Outcome.ACCEPTED, log.admit(genesis));
    return log;
  }

  static List<OpId> on(MembershipOp... parents) {
    List<OpId> out = new ArrayList<>();
    for (MembershipOp p : parents) {
      out.add(p.id());
    }
    return out;
  }

  Add add(Identity issuer, List<OpId> parents, Identity member, Level level) {
    return Add.sign(issuer, doc, parents, member.memberId(), level,
        level.atLeast(Level.READ) ? Optional.of(epoch0) : Optional.empty(), random);
  }

  Remove remove(Identity issuer, List<OpId> parents, Identity member, Collection<EnvelopeId> cutoff) {
    return Remove.sign(issuer, doc, parents, member.signingKey().publicKey(), cutoff);
  }

  Remove remove(Identity issuer, List<OpId> parents, Identity member) {
    return remove(issuer, parents, member, Set.of());
  }

  Rotate rotate(Identity issuer, List<OpId> parents, List<Identity> readers) {
    return Rotate.create(issuer, doc, parents, readers.stream().map(Identity::memberId).toList(), List.of(epoch0), random).op();
  }

  Envelope envelope(Identity author, List<EnvelopeId> parents, List<OpId> heads, OpId epoch) {
    byte[] commit = new byte[32];
    byte[] ciphertext = new byte[40];
    random.nextBytes(commit);
    random.nextBytes(ciphertext);
    return Envelope.sign(doc, EnvelopeId.random(random), author.signingKey(), parents, heads, epoch,
        Bytes.wrap(commit), Bytes.wrap(ciphertext));
  }

  Envelope envelope(Identity author, List<EnvelopeId> parents, List<OpId> heads) {
    return envelope(author, parents, heads, genesis.id());
  }

  static Admission.Outcome admit(SecureLog log, SecureItem item) {
    return log.admit(item).outcome();
  }

  static void expect(Admission.Outcome outcome, Admission admission) {
    assertEquals(outcome, admission.outcome(), admission.reason());
  }
}

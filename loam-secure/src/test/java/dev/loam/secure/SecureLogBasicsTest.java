package dev.loam.secure;

import static dev.loam.secure.Admission.Outcome.ACCEPTED;
import static dev.loam.secure.Admission.Outcome.DUPLICATE;
import static dev.loam.secure.Admission.Outcome.PENDING;
import static dev.loam.secure.Admission.Outcome.REJECTED;
import static dev.loam.secure.Scenario.expect;
import static dev.loam.secure.Scenario.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.secure.MembershipOp.Add;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecureLogBasicsTest {
  private final Scenario s = new Scenario(1);

  @Test
  void genesisMakesTheRootTheOnlyAdmin() {
    SecureLog log = s.log();
    assertEquals(Map.of(s.root.memberId(), Level.ADMIN), log.members());
    assertTrue(log.mayPull(s.root.memberId().signingKey()));
    assertEquals(List.of(s.genesis.id()), log.membershipHeads());
    expect(DUPLICATE, log.admit(s.genesis));
  }

  @Test
  void addsGiveLevelsAndEditorsWriteValidEnvelopes() {
    SecureLog log = s.log();
    Identity bob = s.identity();
    Identity carol = s.identity();
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.READ);
    Add addCarol = s.add(s.root, on(addBob), carol, Level.EDIT);
    expect(PENDING, log.admit(addCarol));
    expect(ACCEPTED, log.admit(addBob));
    expect(ACCEPTED, log.admit(addCarol));
    assertEquals(Optional.of(Level.READ), log.level(bob.memberId().signingKey()));
    assertEquals(Optional.of(Level.EDIT), log.level(carol.memberId().signingKey()));
    assertEquals(List.of(addCarol.id()), log.membershipHeads());

    Envelope byCarol = s.envelope(carol, List.of(), on(addCarol));
    expect(ACCEPTED, log.admit(byCarol));
    assertTrue(log.isValid(byCarol.id()));
    Envelope byBob = s.envelope(bob, List.of(byCarol.id()), on(addCarol));
    expect(REJECTED, log.admit(byBob));
    assertFalse(log.isValid(byBob.id()));
    Envelope early = s.envelope(carol, List.of(), on(addBob));
    expect(REJECTED, log.admit(early));
    assertEquals(List.of(byCarol.id()), log.envelopeHeads());
  }

  @Test
  void membersAreListedRootFirstThenByFirstAddWithTheKeysOfTheAddThatCounts() {
    SecureLog log = s.log();
    Identity bob = s.identity();
    Identity carol = s.identity();
    Identity other = s.identity();
    Add addCarol = s.add(s.root, on(s.genesis), carol, Level.READ);
    Add addBob = s.add(s.root, on(addCarol), bob, Level.EDIT);
    // Bob's level changes, and the new add names another encryption key for him.
    MemberId bobElsewhere = MemberId.of(bob.signingKey().publicKey(), other.encryptionKey().publicKey());
    Add bobAgain = Add.sign(s.root, s.doc, on(addBob), bobElsewhere, Level.ADMIN, Optional.of(s.epoch0));
    for (SecureItem item : List.of(addCarol, addBob, bobAgain)) {
      expect(ACCEPTED, log.admit(item));
    }
    assertEquals(List.of(s.root.memberId(), carol.memberId(), bobElsewhere), List.copyOf(log.members().keySet()));
    assertEquals(List.of(Level.ADMIN, Level.READ, Level.ADMIN), List.copyOf(log.members().values()));
  }

  @Test
  void validEnvelopesComeInCausalOrderWithoutTheInvalidOnes() {
    SecureLog log = s.log();
    Identity bob = s.identity();
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.EDIT);
    expect(ACCEPTED, log.admit(addBob));
    Envelope a = s.envelope(bob, List.of(), on(addBob));
    Envelope b = s.envelope(s.root, List.of(a.id()), on(s.genesis));
    MembershipOp.Remove removeBob = s.remove(s.root, on(addBob), bob, java.util.Set.of());
    for (SecureItem item : List.of(a, b, removeBob)) {
      expect(ACCEPTED, log.admit(item));
    }
    assertEquals(List.of(), log.validEnvelopes(), "bob's envelope is outside the empty cutoff; b depends on it");
    Envelope stale = s.envelope(s.root, List.of(), on(removeBob));
    assertTrue(log.admit(stale).keptButInvalid(), "bob held the genesis epoch: it is not safe after his removal");
    MembershipOp.Rotate rotate = s.rotate(s.root, on(removeBob), List.of(s.root));
    Envelope c = s.envelope(s.root, List.of(), on(rotate), rotate.id());
    expect(ACCEPTED, log.admit(rotate));
    expect(ACCEPTED, log.admit(c));
    assertEquals(List.of(c), log.validEnvelopes());
    assertEquals(List.of(s.genesis, addBob, a, b, removeBob, stale, rotate, c), log.items());
  }

  @Test
  void itemsForAnotherDocumentAreRejected() {
    Scenario other = new Scenario(2);
    SecureLog log = s.log();
    expect(REJECTED, log.admit(other.genesis));
    expect(REJECTED, log.admit(other.envelope(other.root, List.of(), on(other.genesis))));
  }
}

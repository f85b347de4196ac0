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
  void itemsForAnotherDocumentAreRejected() {
    Scenario other = new Scenario(2);
    SecureLog log = s.log();
    expect(REJECTED, log.admit(other.genesis));
    expect(REJECTED, log.admit(other.envelope(other.root, List.of(), on(other.genesis))));
  }
}

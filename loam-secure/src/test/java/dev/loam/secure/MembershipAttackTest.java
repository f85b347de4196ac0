package dev.loam.secure;

import static dev.loam.secure.Admission.Outcome.ACCEPTED;
import static dev.loam.secure.Admission.Outcome.DUPLICATE;
import static dev.loam.secure.Admission.Outcome.REJECTED;
import static dev.loam.secure.Scenario.expect;
import static dev.loam.secure.Scenario.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The membership attacks of the design's last section, at the library level: each is rejected (or
 * kept void) with nothing applied. Expected members are written out by hand from the rules.
 */
class MembershipAttackTest {
  private final Scenario s = new Scenario(11);
  private final Identity bob = s.identity();
  private final Identity carol = s.identity();
  private final Identity dave = s.identity();
  private final Identity mallory = s.identity();

  /** Admits an item that must be rejected and checks that nothing changed. */
  private static void refused(SecureLog log, SecureItem item) {
    List<SecureItem> before = log.items();
    Map<MemberId, Level> members = log.members();
    List<OpId> heads = log.membershipHeads();
    expect(REJECTED, log.admit(item));
    assertEquals(before, log.items());
    assertEquals(members, log.members());
    assertEquals(heads, log.membershipHeads());
    if (item instanceof Envelope e) {
      assertFalse(log.isValid(e.id()));
    }
  }

  /** Admits an item its own causal past permits but the log voids: kept, counting for nothing. */
  private static void voided(SecureLog log, SecureItem item) {
    Map<MemberId, Level> members = log.members();
    List<OpId> heads = log.membershipHeads();
    List<EnvelopeId> envelopeHeads = log.envelopeHeads();
    Admission admission = log.admit(item);
    assertTrue(admission.keptButInvalid(), admission.toString());
    assertEquals(members, log.members());
    assertEquals(heads, log.membershipHeads());
    assertEquals(envelopeHeads, log.envelopeHeads());
    switch (item) {
      case Envelope e -> assertFalse(log.isValid(e.id()));
      case MembershipOp op -> assertFalse(log.isValid(op.id()));
    }
  }

  private static Optional<Level> level(SecureLog log, Identity who) {
    return log.level(who.memberId().signingKey());
  }

  @Test
  void anOpSignedByAnotherKeyThanItsIssuerDoesNotDecode() {
    // Mallory writes the root's key as issuer and signs with her own.
    byte[] body = Bytes.wrap(s.add(s.root, on(s.genesis), mallory, Level.ADMIN).encoded().toByteArray()).toByteArray();
    byte[] unsigned = java.util.Arrays.copyOf(body, body.length - 64);
    byte[] forged = ItemFormatTest.concat(unsigned, mallory.signingKey().sign(ItemFormatTest.concat("loam-op-v1\0".getBytes(), unsigned)));
    ItemFormatTest.assertMalformed(forged, "forged signature");
  }

  @Test
  void strangersReadersAndRelaysCannotChangeMembershipOrWrite() {
    SecureLog log = s.log();
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.READ);
    Add addCarol = s.add(s.root, on(addBob), carol, Level.RELAY);
    expect(ACCEPTED, log.admit(addBob));
    expect(ACCEPTED, log.admit(addCarol));
    for (Identity who : List.of(mallory, bob, carol)) {
      refused(log, s.add(who, on(addCarol), dave, Level.RELAY));
      refused(log, s.add(who, on(addCarol), who, Level.ADMIN));
      refused(log, s.remove(who, on(addCarol), bob.equals(who) ? carol : bob));
      refused(log, s.rotate(who, on(addCarol), List.of(s.root, bob)));
      refused(log, s.envelope(who, List.of(), on(addCarol)));
    }
    assertFalse(log.mayPull(mallory.memberId().signingKey()));
    assertTrue(log.mayPull(carol.memberId().signingKey()));
    assertEquals(Map.of(s.root.memberId(), Level.ADMIN, bob.memberId(), Level.READ, carol.memberId(), Level.RELAY), log.members());
  }

  @Test
  void anEditorCannotGrantAdminNorAddAnyone() {
    SecureLog log = s.log();
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.EDIT);
    expect(ACCEPTED, log.admit(addBob));
    refused(log, s.add(bob, on(addBob), carol, Level.ADMIN));
    refused(log, s.add(bob, on(addBob), bob, Level.ADMIN));
    refused(log, s.add(bob, on(addBob), carol, Level.READ));
    // An editor may rotate and write.
    expect(ACCEPTED, log.admit(s.rotate(bob, on(addBob), List.of(s.root, bob))));
    expect(ACCEPTED, log.admit(s.envelope(bob, List.of(), on(addBob))));
    assertEquals(Optional.of(Level.EDIT), level(log, bob));
  }

  @Test
  void theRootIsNeverRemovedNorDemoted() {
    SecureLog log = s.log();
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    expect(ACCEPTED, log.admit(addBob));
    refused(log, s.remove(bob, on(addBob), s.root));
    refused(log, s.add(bob, on(addBob), s.root, Level.RELAY));
    refused(log, s.remove(s.root, on(addBob), s.root));
    assertEquals(Optional.of(Level.ADMIN), level(log, s.root));
  }

  @Test
  void aReAddMustFollowTheRemovalItUndoes() {
    SecureLog log = s.log();
    Add addCarol = s.add(s.root, on(s.genesis), carol, Level.ADMIN);
    Add addBob = s.add(s.root, on(addCarol), bob, Level.EDIT);
    Remove removeBob = s.remove(s.root, on(addBob), bob);
    Add concurrentReAdd = s.add(carol, on(addBob), bob, Level.EDIT);
    for (SecureItem item : List.of(addCarol, addBob, removeBob, concurrentReAdd)) {
      expect(ACCEPTED, log.admit(item));
    }
    assertEquals(Optional.empty(), level(log, bob), "an add concurrent with the removal does not undo it");
    Add reAdd = s.add(carol, on(removeBob, concurrentReAdd), bob, Level.READ);
    expect(ACCEPTED, log.admit(reAdd));
    assertEquals(Optional.of(Level.READ), level(log, bob), "an add that follows the removal does");
  }

  @Test
  void aRemovedAdminsBackdatedSockPuppetGetsNothing() {
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    Envelope before = s.envelope(s.root, List.of(), on(addBob));
    Remove removeBob = s.remove(s.root, on(addBob), bob, Set.of(before.id()));
    // Bob, removed, signs an add of his puppet on the heads he knew before the removal.
    Add puppet = s.add(bob, on(addBob), mallory, Level.ADMIN);
    Add puppetAddsDave = s.add(mallory, on(puppet), dave, Level.EDIT);
    Envelope byPuppet = s.envelope(mallory, List.of(before.id()), on(puppet));

    for (List<SecureItem> order : List.<List<SecureItem>>of(
        List.of(addBob, before, removeBob, puppet, puppetAddsDave),
        List.of(addBob, before, puppet, puppetAddsDave, removeBob))) {
      SecureLog log = s.log();
      for (SecureItem item : order) {
        expect(ACCEPTED, log.admit(item));
      }
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN), log.members(), "order " + order.indexOf(removeBob));
      assertFalse(log.isValid(puppet.id()));
      assertFalse(log.isValid(puppetAddsDave.id()));
      voided(log, byPuppet);
      voided(log, s.envelope(dave, List.of(), on(puppetAddsDave)));
      assertTrue(log.membershipHeads().contains(removeBob.id()));
      assertFalse(log.membershipHeads().contains(puppet.id()));
    }
  }

  @Test
  void aRemovedEditorsBackdatedRotateIsVoidAndSoIsWhatIsWrittenUnderIt() {
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.EDIT);
    Remove removeBob = s.remove(s.root, on(addBob), bob);
    Rotate backdated = s.rotate(bob, on(addBob), List.of(s.root, bob));
    Envelope underIt = s.envelope(s.root, List.of(), on(backdated), backdated.id());
    SecureLog log = s.log();
    expect(ACCEPTED, log.admit(addBob));
    expect(ACCEPTED, log.admit(removeBob));
    voided(log, backdated);
    voided(log, underIt);
    assertEquals(Map.of(s.root.memberId(), Level.ADMIN), log.members());
  }

  @Test
  void aSockPuppetsRemovalCancelsNoHonestRemoval() {
    // Bob (admin, removed) backdates an admin add of his puppet Mallory at depth 2; Mallory removes
    // Carol, a later admin, concurrently with Carol's removal of Dave. Mallory is "senior" to
    // Carol, but her add is void, so her removal must not void Carol's.
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    Add puppet = s.add(bob, on(addBob), mallory, Level.ADMIN);
    Remove removeBob = s.remove(s.root, on(addBob), bob);
    Add addCarol = s.add(s.root, on(removeBob), carol, Level.ADMIN);
    Add addDave = s.add(s.root, on(addCarol), dave, Level.EDIT);
    Remove carolRemovesDave = s.remove(carol, on(addDave), dave);
    Remove puppetRemovesCarol = s.remove(mallory, on(puppet, addDave), carol);
    for (List<SecureItem> order : Permutations.<SecureItem>of(List.of(puppet, carolRemovesDave, puppetRemovesCarol))) {
      List<SecureItem> delivery = new java.util.ArrayList<>(List.of(s.genesis, addBob, removeBob, addCarol, addDave));
      delivery.addAll(order);
      SecureLog log = new Replica(s.doc).deliver(delivery).log;
      assertEquals(delivery.size(), log.items().size());
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN, carol.memberId(), Level.ADMIN), log.members(), order.toString());
      assertTrue(log.isValid(carolRemovesDave.id()));
      assertFalse(log.isValid(puppetRemovesCarol.id()));
    }
  }

  @Test
  void aVoidAddMakesNobodySenior() {
    // Bob, removed, backdates an admin add of Carol at depth 2, below Dave's admin add (depth 3).
    // Carol's own admin add by the root comes later (depth 5): Dave is the senior one, and wins
    // their mutual removal.
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    Add boost = s.add(bob, on(addBob), carol, Level.ADMIN);
    Add addMallory = s.add(s.root, on(addBob), mallory, Level.READ);
    Add addDave = s.add(s.root, on(addMallory), dave, Level.ADMIN);
    Remove removeBob = s.remove(s.root, on(addDave), bob);
    Add addCarol = s.add(s.root, on(removeBob), carol, Level.ADMIN);
    Remove daveRemovesCarol = s.remove(dave, on(addCarol, boost), carol);
    Remove carolRemovesDave = s.remove(carol, on(addCarol, boost), dave);
    for (List<SecureItem> order : Permutations.<SecureItem>of(List.of(boost, daveRemovesCarol, carolRemovesDave))) {
      List<SecureItem> delivery = new java.util.ArrayList<>(List.of(s.genesis, addBob, addMallory, addDave, removeBob, addCarol));
      delivery.addAll(order);
      SecureLog log = new Replica(s.doc).deliver(delivery).log;
      assertEquals(delivery.size(), log.items().size());
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN, mallory.memberId(), Level.READ, dave.memberId(), Level.ADMIN),
          log.members(), order.toString());
    }
  }

  @Test
  void mutualRemovalsKeepTheSeniorAdmin() {
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    Add addCarol = s.add(s.root, on(addBob), carol, Level.ADMIN);
    Remove bobRemovesCarol = s.remove(bob, on(addCarol), carol);
    Remove carolRemovesBob = s.remove(carol, on(addCarol), bob);
    for (List<SecureItem> order : List.<List<SecureItem>>of(
        List.of(bobRemovesCarol, carolRemovesBob), List.of(carolRemovesBob, bobRemovesCarol))) {
      SecureLog log = s.log();
      expect(ACCEPTED, log.admit(addBob));
      expect(ACCEPTED, log.admit(addCarol));
      order.forEach(log::admit);
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN, bob.memberId(), Level.ADMIN), log.members());
    }
  }

  @Test
  void threeWayRemovalsFollowSeniorityAndKeepTheRoot() {
    // Seniority: bob (added first), carol, dave. Concurrently bob removes carol, carol removes
    // dave, dave removes bob. Walk by seniority: bob's removal stands; carol's is void (carol was
    // removed by it, concurrently); dave's stands (nothing effective removed dave).
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.ADMIN);
    Add addCarol = s.add(s.root, on(addBob), carol, Level.ADMIN);
    Add addDave = s.add(s.root, on(addCarol), dave, Level.ADMIN);
    List<SecureItem> removals = List.of(s.remove(bob, on(addDave), carol), s.remove(carol, on(addDave), dave),
        s.remove(dave, on(addDave), bob));
    for (List<SecureItem> order : Permutations.of(removals)) {
      SecureLog log = s.log();
      for (SecureItem item : List.of(addBob, addCarol, addDave)) {
        expect(ACCEPTED, log.admit(item));
      }
      order.forEach(log::admit);
      assertEquals(Map.of(s.root.memberId(), Level.ADMIN, dave.memberId(), Level.ADMIN), log.members());
    }
  }

  @Test
  void aRemovedAuthorsBackdatedEnvelopesAreInvalidAndSoIsWhatDependsOnThem() {
    Add addBob = s.add(s.root, on(s.genesis), bob, Level.EDIT);
    Envelope e1 = s.envelope(bob, List.of(), on(addBob));
    Remove removeBob = s.remove(s.root, on(addBob), bob, Set.of(e1.id()));
    Rotate rotate = s.rotate(s.root, on(removeBob), List.of(s.root));
    Envelope late = s.envelope(bob, List.of(e1.id()), on(addBob));
    Envelope onLate = s.envelope(s.root, List.of(late.id()), on(addBob));
    Envelope honest = s.envelope(s.root, List.of(e1.id()), on(rotate), rotate.id());

    SecureLog knowing = s.log();
    for (SecureItem item : List.of(addBob, e1, removeBob, rotate, honest)) {
      expect(ACCEPTED, knowing.admit(item));
    }
    voided(knowing, late);
    refused(knowing, s.envelope(bob, List.of(e1.id()), on(removeBob)));
    assertTrue(knowing.isValid(e1.id()));
    assertFalse(knowing.mayPull(bob.memberId().signingKey()));

    SecureLog unaware = s.log();
    for (SecureItem item : List.of(addBob, e1, late, onLate)) {
      expect(ACCEPTED, unaware.admit(item));
    }
    assertTrue(unaware.isValid(late.id()));
    expect(ACCEPTED, unaware.admit(removeBob));
    assertTrue(unaware.isValid(e1.id()), "inside the cutoff");
    assertFalse(unaware.isValid(late.id()), "outside the cutoff");
    assertFalse(unaware.isValid(onLate.id()), "depends on an invalid envelope");
    assertEquals(List.of(e1.id()), unaware.envelopeHeads());
  }

  @Test
  void anEnvelopeForAnotherDocumentOrReusingAnIdIsRejected() {
    Scenario other = new Scenario(12);
    SecureLog log = s.log();
    Envelope mine = s.envelope(s.root, List.of(), on(s.genesis));
    expect(ACCEPTED, log.admit(mine));
    expect(DUPLICATE, log.admit(mine));
    refused(log, other.envelope(other.root, List.of(), on(other.genesis)));
    Envelope sameId = Envelope.sign(s.doc, mine.id(), s.root.signingKey(), List.of(), on(s.genesis), s.genesis.id(),
        mine.keyCommit(), Bytes.wrap(new byte[32]));
    List<SecureItem> before = log.items();
    expect(REJECTED, log.admit(sameId));
    assertEquals(before, log.items());
    assertEquals(mine, log.envelope(mine.id()).orElseThrow());
    // An envelope signed for document A names A: offered to B it is refused, and its bytes cannot be re-pointed.
    refused(other.log(), mine);
  }

  @Test
  void aGenesisMustDeriveTheLogsDocumentId() {
    Scenario other = new Scenario(13);
    SecureLog log = SecureLog.create(s.doc);
    refused(log, other.genesis);
    expect(ACCEPTED, log.admit(s.genesis));
    assertEquals(Optional.of(s.genesis), log.genesis());
  }
}

package dev.loam.secure;

import static dev.loam.secure.Admission.Outcome.ACCEPTED;
import static dev.loam.secure.Scenario.expect;
import static dev.loam.secure.Scenario.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.MembershipOp.WithKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rule 5: the writer's epoch, when to rotate, and which keys each identity can open. */
class EpochsTest {
  private final Scenario s = new Scenario(31);
  private final Identity bob = s.identity();
  private final Identity carol = s.identity();
  private final Identity dave = s.identity();

  private static void admit(SecureLog log, SecureItem... items) {
    for (SecureItem item : items) {
      expect(ACCEPTED, log.admit(item));
    }
  }

  private static KeyRing ring(SecureLog log, Identity who) {
    return KeyRing.open(log, who);
  }

  private WithKey<Rotate> rotate(SecureLog log, Identity by) {
    WithKey<Rotate> r = Epochs.rotate(log, by, ring(log, by), s.random);
    admit(log, r.op());
    return r;
  }

  @Test
  void theGenesisOpensTheFirstEpochForTheRootOnly() {
    SecureLog log = s.log();
    assertEquals(Optional.of(s.genesis.id()), Epochs.writeEpoch(log));
    assertFalse(Epochs.needsRotation(log, s.root.signingKey().publicKey()));
    assertEquals(Optional.of(s.epoch0), ring(log, s.root).key(s.genesis.id()));
    assertTrue(ring(log, bob).isEmpty());
  }

  @Test
  void anAddedReaderGetsTheWritersEpochAndARelayNothing() {
    SecureLog log = s.log();
    admit(log, Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.READ));
    admit(log, Epochs.add(log, s.root, ring(log, s.root), carol.memberId(), Level.RELAY));
    assertEquals(Optional.of(s.epoch0), ring(log, bob).key(s.genesis.id()));
    assertTrue(ring(log, carol).isEmpty());
    assertEquals(Optional.of(s.genesis.id()), Epochs.writeEpoch(log));
    assertFalse(Epochs.needsRotation(log, s.root.signingKey().publicKey()));
  }

  @Test
  void removingAReaderForcesARotationTheRemovedReaderCannotOpen() {
    SecureLog log = s.log();
    admit(log, Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.READ));
    admit(log, Epochs.add(log, s.root, ring(log, s.root), carol.memberId(), Level.EDIT));
    admit(log, Epochs.remove(log, s.root, bob.signingKey().publicKey()));
    assertEquals(Optional.empty(), Epochs.writeEpoch(log), "every epoch bob held is unsafe");
    assertTrue(Epochs.needsRotation(log, carol.signingKey().publicKey()));
    assertThrows(IllegalStateException.class,
        () -> Epochs.add(log, s.root, ring(log, s.root), dave.memberId(), Level.READ));

    WithKey<Rotate> rotated = rotate(log, carol);
    assertEquals(Optional.of(rotated.op().id()), Epochs.writeEpoch(log));
    assertFalse(Epochs.needsRotation(log, carol.signingKey().publicKey()));
    assertEquals(Set.of(s.genesis.id()), ring(log, bob).epochs(), "bob keeps what he had, nothing new");
    assertEquals(Optional.of(rotated.key()), ring(log, s.root).key(rotated.op().id()));
    assertEquals(Optional.of(rotated.key()), ring(log, carol).key(rotated.op().id()));
    assertEquals(Optional.of(s.epoch0), ring(log, carol).key(s.genesis.id()));
  }

  @Test
  void aNewMemberReadsEveryEarlierEpochThroughTheChain() {
    SecureLog log = s.log();
    admit(log, Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.READ));
    admit(log, Epochs.remove(log, s.root, bob.signingKey().publicKey()));
    WithKey<Rotate> first = rotate(log, s.root);
    admit(log, Epochs.add(log, s.root, ring(log, s.root), carol.memberId(), Level.EDIT));
    admit(log, Epochs.remove(log, s.root, carol.signingKey().publicKey()));
    WithKey<Rotate> second = rotate(log, s.root);
    assertEquals(List.of(first.op().id()), second.op().previous().stream().map(MembershipOp.Link::epoch).toList(),
        "a rotate chains only the epoch heads");
    admit(log, Epochs.add(log, s.root, ring(log, s.root), dave.memberId(), Level.READ));
    KeyRing daves = ring(log, dave);
    assertEquals(Optional.of(second.key()), daves.key(second.op().id()));
    assertEquals(Optional.of(first.key()), daves.key(first.op().id()));
    assertEquals(Optional.of(s.epoch0), daves.key(s.genesis.id()));
    assertEquals(Set.of(s.genesis.id(), first.op().id()), ring(log, carol).epochs());
  }

  @Test
  void concurrentRotationsPickTheGreatestByDepthThenId() {
    SecureLog log = s.log();
    Add addBob = Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.EDIT);
    admit(log, addBob);
    KeyRing roots = ring(log, s.root);
    WithKey<Rotate> a = Rotate.create(s.root, s.doc, on(addBob), List.of(s.root.memberId(), bob.memberId()),
        List.of(s.epoch0), s.random);
    WithKey<Rotate> b = Rotate.create(bob, s.doc, on(addBob), List.of(s.root.memberId(), bob.memberId()),
        List.of(roots.key(s.genesis.id()).orElseThrow()), s.random);
    admit(log, a.op(), b.op());
    OpId greater = a.op().id().compareTo(b.op().id()) > 0 ? a.op().id() : b.op().id();
    assertEquals(Optional.of(greater), Epochs.writeEpoch(log));
    SecureLog otherOrder = s.log();
    admit(otherOrder, addBob, b.op(), a.op());
    assertEquals(Optional.of(greater), Epochs.writeEpoch(otherOrder));
    assertEquals(Set.of(s.genesis.id(), a.op().id(), b.op().id()), ring(log, bob).epochs());
  }

  @Test
  void anAddConcurrentWithARotationLeavesAWrapToRepair() {
    SecureLog log = s.log();
    Add addBob = Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.EDIT);
    admit(log, addBob);
    // The root adds carol with the genesis key while bob, concurrently, rotates for {root, bob}.
    Add addCarol = Add.sign(s.root, s.doc, on(addBob), carol.memberId(), Level.READ, Optional.of(s.epoch0));
    WithKey<Rotate> rotated = Rotate.create(bob, s.doc, on(addBob), List.of(s.root.memberId(), bob.memberId()),
        List.of(s.epoch0), s.random);
    admit(log, addCarol, rotated.op());
    assertEquals(Optional.of(rotated.op().id()), Epochs.writeEpoch(log), "its holders are all current readers");
    assertTrue(Epochs.needsRotation(log, bob.signingKey().publicKey()), "carol cannot open it");
    assertFalse(ring(log, carol).key(rotated.op().id()).isPresent());
    WithKey<Rotate> repair = rotate(log, bob);
    assertEquals(Optional.of(repair.op().id()), Epochs.writeEpoch(log));
    assertFalse(Epochs.needsRotation(log, bob.signingKey().publicKey()));
    assertEquals(Set.of(s.genesis.id(), rotated.op().id(), repair.op().id()), ring(log, carol).epochs());
  }

  @Test
  void aBrokenWrapDegradesOnlyItsRecipient() {
    SecureLog log = s.log();
    admit(log, Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.EDIT));
    admit(log, Epochs.add(log, s.root, ring(log, s.root), carol.memberId(), Level.READ));
    // Sealed for carol's signing key but dave's encryption key: carol cannot open it.
    MemberId wrong = MemberId.of(carol.signingKey().publicKey(), dave.encryptionKey().publicKey());
    WithKey<Rotate> rotated = Rotate.create(bob, s.doc, log.membershipHeads(), List.of(s.root.memberId(), bob.memberId(), wrong),
        List.of(s.epoch0), s.random);
    admit(log, rotated.op());
    assertEquals(Optional.of(rotated.key()), ring(log, s.root).key(rotated.op().id()));
    assertEquals(Optional.of(rotated.key()), ring(log, bob).key(rotated.op().id()));
    assertEquals(Set.of(s.genesis.id()), ring(log, carol).epochs());
    assertTrue(ring(log, dave).isEmpty(), "a wrap names its member: dave's key alone does not open carol's wrap");
  }

  @Test
  void aRemovedAdminsBackdatedGrantChangesNoEpoch() {
    SecureLog log = s.log();
    Add addBob = Epochs.add(log, s.root, ring(log, s.root), bob.memberId(), Level.ADMIN);
    admit(log, addBob);
    WithKey<Rotate> rotated = Rotate.create(s.root, s.doc, on(addBob), List.of(s.root.memberId(), bob.memberId()),
        List.of(s.epoch0), s.random);
    Remove removeBob = Remove.sign(s.root, s.doc, on(rotated.op()), bob.signingKey().publicKey(), Set.of());
    WithKey<Rotate> after = Rotate.create(s.root, s.doc, on(removeBob), List.of(s.root.memberId()), List.of(rotated.key()), s.random);
    admit(log, rotated.op(), removeBob, after.op());
    assertEquals(Optional.of(after.op().id()), Epochs.writeEpoch(log));
    // Bob, removed, backdates an add granting the new epoch... he cannot: he lacks its key. He grants
    // the old one to dave on old heads; the add is void, and the old epoch was unsafe anyway.
    Add backdated = Add.sign(bob, s.doc, on(rotated.op()), dave.memberId(), Level.READ, Optional.of(rotated.key()));
    assertTrue(log.admit(backdated).keptButInvalid());
    assertEquals(Optional.of(after.op().id()), Epochs.writeEpoch(log));
    assertFalse(ring(log, dave).key(rotated.op().id()).isPresent(), "a void add grants nothing in the ring");
  }
}

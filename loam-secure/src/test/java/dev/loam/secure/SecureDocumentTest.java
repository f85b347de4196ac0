package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Change;
import dev.loam.Document;
import dev.loam.ObjId;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The issue's scenario and the design's stale-key cases, at the library level (no server). */
class SecureDocumentTest {
  private final SecureRandom random = TestSeeds.random(42);
  private final Identity alice = Identity.generate(random);
  private final Identity bob = Identity.generate(random);
  private final Identity carol = Identity.generate(random);
  private final Identity dave = Identity.generate(random);

  /** {@code to} receives everything {@code from} holds. */
  static void sync(SecureDocument from, SecureDocument to) {
    to.receive(from.items());
  }

  private SecureDocument joined(Identity who, SecureDocument from) {
    return SecureDocument.open(who, from.id(), from.items(), random);
  }

  private static void write(SecureDocument d, String key, String value) {
    d.document().put(ObjId.ROOT, key, value);
    d.document().commit();
  }

  @Test
  void aliceBobAndCarolAsTheIssueTellsIt() {
    SecureDocument a = SecureDocument.create(alice, random);
    write(a, "secret", "alice-secret-1");
    a.seal();
    assertEquals("{\"secret\":\"alice-secret-1\"}", a.document().toJson());

    SecureDocument bobBefore = joined(bob, a);
    assertFalse(bobBefore.canRead(), "not a member yet");
    assertEquals(Optional.empty(), bobBefore.level());
    assertEquals("{}", bobBefore.document().toJson());

    a.share(bob.memberId(), Level.READ);
    a.share(carol.memberId(), Level.EDIT);
    SecureDocument b = joined(bob, a);
    assertEquals("{\"secret\":\"alice-secret-1\"}", b.document().toJson());
    assertEquals(Optional.of(Level.READ), b.level());
    write(b, "bob", "vandalism");
    assertThrows(AccessDeniedException.class, b::seal, "read-only Bob cannot seal");

    SecureDocument c = joined(carol, a);
    write(c, "carol", "carol-edit");
    List<SecureItem> sealed = c.seal();
    assertEquals(1, sealed.size());
    sync(c, a);
    assertEquals("{\"carol\":\"carol-edit\",\"secret\":\"alice-secret-1\"}", a.document().toJson());

    a.unshare(bob.memberId());
    write(a, "secret", "alice-secret-2");
    a.seal();
    sync(a, b);
    sync(a, c);
    assertEquals(Optional.empty(), b.level());
    assertFalse(b.document().toJson().contains("alice-secret-2"), b.document().toJson());
    assertTrue(b.document().toJson().contains("alice-secret-1"), "a removed reader keeps what it could read");
    assertEquals("{\"carol\":\"carol-edit\",\"secret\":\"alice-secret-2\"}", c.document().toJson());
    assertEquals(Map.of(alice.memberId(), Level.ADMIN, carol.memberId(), Level.EDIT), a.members());

    SecureDocument bobFresh = joined(bob, a);
    assertFalse(bobFresh.document().toJson().contains("alice-secret-2"), "even with every item there is");
  }

  @Test
  void readOnlyBobsHandMadeEnvelopeIsNotValid() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    SecureDocument b = joined(bob, a);
    write(b, "bob", "forged");
    Change change = b.document().changes().get(0);
    EpochKey key = KeyRing.open(b.log(), bob).key(Epochs.writeEpoch(b.log()).orElseThrow()).orElseThrow();
    Envelope forged = EnvelopeCrypto.seal(a.id(), EnvelopeId.random(random), bob.signingKey(), b.log().envelopeHeads(),
        b.log().membershipHeads(), key.epoch(), key.key().toByteArray(),
        new Payload(List.of(change.actor()), List.of(change.bytes())));
    assertEquals(List.of(), a.receive(List.of(forged)));
    assertEquals("{}", a.document().toJson());
    assertFalse(a.log().isValid(forged.id()));
  }

  @Test
  void onlyAnAdminSharesAndNobodyRemovesTheRoot() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(carol.memberId(), Level.EDIT);
    SecureDocument c = joined(carol, a);
    assertThrows(AccessDeniedException.class, () -> c.share(bob.memberId(), Level.READ));
    assertThrows(AccessDeniedException.class, () -> c.unshare(alice.memberId()));
    assertThrows(IllegalArgumentException.class, () -> a.unshare(alice.memberId()));
    assertThrows(IllegalArgumentException.class, () -> a.unshare(bob.memberId()), "not a member");
    assertEquals(Map.of(alice.memberId(), Level.ADMIN, carol.memberId(), Level.EDIT), a.members());
  }

  @Test
  void theSameEnvelopeTwiceChangesNothing() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    write(a, "k", "v");
    List<SecureItem> env = a.seal();
    SecureDocument b = joined(bob, a);
    String before = b.document().toJson();
    int changes = b.document().changes().size();
    assertEquals(List.of(), b.receive(env));
    assertEquals(List.of(), b.receive(a.items()));
    assertEquals(before, b.document().toJson());
    assertEquals(changes, b.document().changes().size());
    assertEquals("{\"k\":\"v\"}", before);
  }

  @Test
  void oneIdentityInTwoFoldersNeverReusesAnActorAndSeq() {
    SecureDocument a1 = SecureDocument.create(alice, random);
    SecureDocument a2 = joined(alice, a1);
    assertNotEquals(a1.document().actor(), a2.document().actor());
    write(a1, "one", "1");
    write(a2, "two", "2");
    a1.seal();
    a2.seal();
    sync(a1, a2);
    sync(a2, a1);
    assertEquals("{\"one\":\"1\",\"two\":\"2\"}", a1.document().toJson());
    assertEquals(a1.document().toJson(), a2.document().toJson());
    Set<String> actorSeq = new HashSet<>();
    for (Change c : a1.document().changes()) {
      assertTrue(actorSeq.add(c.actor() + "/" + c.seq()), "reused " + c.actor() + "/" + c.seq());
    }
  }

  @Test
  void aNewMemberReadsEarlierEpochs() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    write(a, "epoch0", "first");
    a.seal();
    a.unshare(bob.memberId());
    write(a, "epoch1", "second");
    a.seal();
    a.share(dave.memberId(), Level.READ);
    SecureDocument d = joined(dave, a);
    assertEquals("{\"epoch0\":\"first\",\"epoch1\":\"second\"}", d.document().toJson());
    assertTrue(KeyRing.open(d.log(), dave).epochs().size() >= 2);
  }

  @Test
  void aRemovedReaderCannotOpenTheNextEpoch() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    SecureDocument b = joined(bob, a);
    List<SecureItem> unshare = a.unshare(bob.memberId());
    MembershipOp.Rotate rotate = (MembershipOp.Rotate) unshare.get(1);
    b.receive(unshare);
    assertTrue(KeyRing.open(b.log(), bob).key(rotate.id()).isEmpty());
    write(a, "after", "bob-must-not-see");
    List<SecureItem> sealed = a.seal();
    Envelope e = (Envelope) sealed.get(sealed.size() - 1);
    assertEquals(rotate.id(), e.epoch(), "written under the new epoch");
    b.receive(sealed);
    assertEquals("{}", b.document().toJson());
    assertFalse(b.isApplied(e.id()));
  }

  @Test
  void anOfflineWriterThroughARotationCatchesUp() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    a.share(carol.memberId(), Level.EDIT);
    SecureDocument c = joined(carol, a);
    a.unshare(bob.memberId());
    write(c, "offline", "written before carol heard of the rotation");
    c.seal();
    sync(c, a);
    assertEquals("{\"offline\":\"written before carol heard of the rotation\"}", a.document().toJson());
    sync(a, c);
    write(c, "online", "after");
    List<SecureItem> sealed = c.seal();
    Envelope e = (Envelope) sealed.get(sealed.size() - 1);
    assertEquals(Epochs.writeEpoch(a.log()).orElseThrow(), e.epoch(), "carol now writes under the new epoch");
    sync(c, a);
    assertEquals("{\"offline\":\"written before carol heard of the rotation\",\"online\":\"after\"}", a.document().toJson());
  }

  @Test
  void concurrentRotationsConvergeAndEveryoneReadsBothBranches() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(carol.memberId(), Level.ADMIN);
    a.share(bob.memberId(), Level.READ);
    a.share(dave.memberId(), Level.READ);
    SecureDocument c = joined(carol, a);
    a.unshare(bob.memberId());
    c.unshare(dave.memberId());
    write(a, "a", "alice after her rotation");
    write(c, "c", "carol after hers");
    a.seal();
    c.seal();
    sync(a, c);
    sync(c, a);
    String expected = "{\"a\":\"alice after her rotation\",\"c\":\"carol after hers\"}";
    assertEquals(expected, a.document().toJson());
    assertEquals(expected, c.document().toJson());
    write(a, "next", "x");
    List<SecureItem> sealed = a.seal();
    sync(a, c);
    assertTrue(c.document().toJson().contains("\"next\":\"x\""));
    Envelope e = (Envelope) sealed.get(sealed.size() - 1);
    SecureDocument b = joined(bob, a);
    SecureDocument d = joined(dave, a);
    assertFalse(b.isApplied(e.id()));
    assertFalse(d.isApplied(e.id()));
  }

  @Test
  void aBrokenWrapDegradesOnlyItsMember() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(carol.memberId(), Level.READ);
    // bob's member id with another encryption key: his wrap in the next rotate will not open for him
    MemberId bobWithWrongKey = MemberId.of(bob.signingKey().publicKey(), dave.encryptionKey().publicKey());
    a.share(bobWithWrongKey, Level.READ);
    write(a, "k", "readable by carol only");
    a.seal();
    SecureDocument c = joined(carol, a);
    SecureDocument b = joined(bob, a);
    assertEquals("{\"k\":\"readable by carol only\"}", c.document().toJson());
    assertEquals("{}", b.document().toJson());
    assertFalse(b.canRead());
    assertEquals(Optional.of(Level.READ), b.level());
  }

  @Test
  void aRemovedWritersLateEnvelopeIsDroppedWhereverItWasApplied() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(carol.memberId(), Level.EDIT);
    a.share(bob.memberId(), Level.READ);
    SecureDocument c = joined(carol, a);
    SecureDocument b = joined(bob, a);
    write(c, "early", "kept");
    c.seal();
    sync(c, a);
    List<SecureItem> removal = a.unshare(carol.memberId());
    write(c, "late", "written after the cutoff");
    List<SecureItem> late = c.seal();
    b.receive(c.items());
    assertEquals("{\"early\":\"kept\",\"late\":\"written after the cutoff\"}", b.document().toJson());
    Document before = b.document();
    b.receive(removal);
    assertNotEquals(before, b.document(), "rebuilt");
    assertEquals("{\"early\":\"kept\"}", b.document().toJson());
    a.receive(late);
    assertEquals("{\"early\":\"kept\"}", a.document().toJson());
  }

  @Test
  void aRebuildKeepsTheLocalChangesThatDoNotDependOnRevokedOnes() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(carol.memberId(), Level.EDIT);
    a.share(bob.memberId(), Level.EDIT);
    SecureDocument c = joined(carol, a);
    SecureDocument b = joined(bob, a);
    List<SecureItem> removal = a.unshare(carol.memberId());
    write(c, "late", "revoked");
    c.seal();
    write(b, "bob", "unsealed, independent");
    b.receive(c.items());
    assertEquals("{\"bob\":\"unsealed, independent\",\"late\":\"revoked\"}", b.document().toJson());
    b.receive(removal);
    assertEquals("{\"bob\":\"unsealed, independent\"}", b.document().toJson());
    b.seal();
    sync(b, a);
    assertEquals("{\"bob\":\"unsealed, independent\"}", a.document().toJson());
  }

  @Test
  void aWriterWhoSeesARemovalWithoutItsRotationRotatesBeforeSealing() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    a.share(carol.memberId(), Level.EDIT);
    SecureDocument c = joined(carol, a);
    SecureDocument b = joined(bob, a);
    List<SecureItem> unshare = a.unshare(bob.memberId());
    c.receive(List.of(unshare.get(0))); // the remove only: the rotate is withheld from carol
    write(c, "c", "not for bob");
    List<SecureItem> sealed = c.seal();
    assertEquals(2, sealed.size());
    MembershipOp.Rotate own = (MembershipOp.Rotate) sealed.get(0);
    assertEquals(own.id(), ((Envelope) sealed.get(1)).epoch());
    b.receive(c.items());
    assertEquals("{}", b.document().toJson());
    sync(c, a);
    assertEquals("{\"c\":\"not for bob\"}", a.document().toJson());
  }

  @Test
  void bigLocalChangesAreSealedIntoSeveralEnvelopesOfAtMostAMegabyte() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.READ);
    StringBuilder expected = new StringBuilder("{");
    for (int i = 0; i < 3; i++) {
      String big = randomText(600_000);
      write(a, "part" + i, big);
      expected.append(i == 0 ? "" : ",").append("\"part").append(i).append("\":\"").append(big).append('"');
    }
    List<SecureItem> sealed = a.seal();
    assertEquals(3, sealed.size(), "600 kB changes: two do not fit in one envelope");
    SecureDocument b = joined(bob, a);
    assertEquals(expected.append('}').toString(), b.document().toJson());
  }

  private String randomText(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(out);
  }

  @Test
  void aLocalChangeUnderAnActorNotBoundToThisIdentityIsNotSealed() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.document().setActor(dev.loam.ActorId.random(random));
    write(a, "k", "v");
    assertThrows(IllegalStateException.class, a::seal);
    assertEquals(List.of(), a.log().envelopeHeads());
  }

  @Test
  void anExportedPlainFileLoadsWithTheSameJson() {
    SecureDocument a = SecureDocument.create(alice, random);
    a.share(bob.memberId(), Level.EDIT);
    write(a, "title", "shared notes");
    a.document().spliceText(a.document().putObject(ObjId.ROOT, "text", dev.loam.ObjType.TEXT), 0, 0, "hello");
    a.document().commit();
    a.seal();
    SecureDocument b = joined(bob, a);
    write(b, "by", "bob");
    b.seal();
    sync(b, a);
    Document plain = Document.load(a.exportPlain());
    assertEquals("{\"by\":\"bob\",\"text\":\"hello\",\"title\":\"shared notes\"}", plain.toJson());
    assertEquals(a.document().toJson(), plain.toJson());
    assertEquals(plain.toJson(), Document.load(b.exportPlain()).toJson());
  }
}

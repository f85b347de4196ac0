package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.secure.net.SyncTarget;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Secure documents beside plain ones in a repo's storage, and the sync target a client fills. */
class SecureRepoTest {
  private final SecureRandom random = TestSeeds.random(5);
  private final Identity alice = Identity.generate(random);
  private final Identity bob = Identity.generate(random);

  private static void write(SecureDocument d, String key, String value) {
    d.document().put(ObjId.ROOT, key, value);
    d.document().commit();
  }

  @Test
  void aSecureDocumentLivesBesideAPlainOneAndSurvivesAReopen() {
    InMemoryStorageAdapter storage = new InMemoryStorageAdapter();
    DocumentId secureId;
    DocumentId plainId;
    try (Repo repo = Repo.builder().storage(storage).build()) {
      DocHandle plain = repo.create();
      plain.change(tx -> tx.put(ObjId.ROOT, "plain", "hello"));
      plainId = plain.documentId();
      SecureRepo secure = SecureRepo.of(repo, alice);
      SecureDocument d = secure.create();
      secureId = d.id();
      write(d, "secret", "kept at rest as envelopes");
      List<SecureItem> sealed = secure.save(d);
      assertEquals(1, sealed.size());
      assertEquals(List.of(), secure.save(d), "nothing new to seal");
      repo.flush();
    }
    try (Repo repo = Repo.builder().storage(storage).build()) {
      SecureRepo secure = SecureRepo.of(repo, alice);
      assertEquals(Set.of(secureId), secure.documents());
      SecureDocument d = secure.open(secureId).orElseThrow();
      assertEquals("{\"secret\":\"kept at rest as envelopes\"}", d.document().toJson());
      assertEquals("{\"plain\":\"hello\"}", repo.find(plainId).whenReady().join().toJson());
      assertTrue(secure.open(DocumentId.random(random)).isEmpty());
    }
  }

  @Test
  void aSyncTargetStoresWhatItReceivesAndANonMemberReadsNothing() {
    InMemoryStorageAdapter aliceFolder = new InMemoryStorageAdapter();
    InMemoryStorageAdapter bobFolder = new InMemoryStorageAdapter();
    SecureRepo aliceRepo = SecureRepo.of(aliceFolder, alice);
    SecureRepo bobRepo = SecureRepo.of(bobFolder, bob);
    SecureDocument a = aliceRepo.create();
    write(a, "secret", "for members only");
    aliceRepo.save(a);

    SecureDocument notYet = bobRepo.openOrEmpty(a.id());
    SyncTarget bobTarget = bobRepo.syncTarget(notYet);
    bobTarget.received(aliceRepo.syncTarget(a).localItems());
    assertEquals("{}", notYet.document().toJson());
    assertFalse(notYet.canRead());

    a.share(bob.memberId(), Level.READ);
    aliceRepo.save(a);
    bobTarget.received(aliceRepo.store().load(a.id()));
    assertEquals("{\"secret\":\"for members only\"}", notYet.document().toJson());

    SecureDocument reopened = bobRepo.open(a.id()).orElseThrow();
    assertEquals("{\"secret\":\"for members only\"}", reopened.document().toJson());
    assertEquals(aliceRepo.store().load(a.id()).size(), bobRepo.store().load(a.id()).size());
    write(reopened, "bob", "may not");
    assertThrows(AccessDeniedException.class, () -> bobRepo.save(reopened));
    assertEquals(aliceRepo.store().load(a.id()).size(), bobRepo.store().load(a.id()).size(), "nothing stored");
  }

  @Test
  void aSyncTargetOffersOnlyValidItems() {
    Identity carol = Identity.generate(random);
    SecureRepo aliceRepo = SecureRepo.of(new InMemoryStorageAdapter(), alice);
    SecureRepo carolRepo = SecureRepo.of(new InMemoryStorageAdapter(), carol);
    SecureDocument a = aliceRepo.create();
    a.share(carol.memberId(), Level.EDIT);
    aliceRepo.save(a);
    SecureDocument c = carolRepo.openOrEmpty(a.id());
    carolRepo.syncTarget(c).received(a.items());
    List<SecureItem> removal = a.unshare(carol.memberId());
    write(c, "late", "after the cutoff");
    Envelope late = (Envelope) carolRepo.save(c).get(0);
    assertTrue(carolRepo.syncTarget(c).localItems().contains(late), "valid as far as carol knows");
    carolRepo.syncTarget(c).received(removal);
    List<SecureItem> offered = carolRepo.syncTarget(c).localItems();
    assertFalse(offered.contains(late));
    assertTrue(offered.containsAll(removal));
  }

  @Test
  void aRepoWithoutStorageIsRefused() {
    try (Repo repo = Repo.builder().build()) {
      assertThrows(IllegalArgumentException.class, () -> SecureRepo.of(repo, alice));
    }
  }
}

package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loam.Bytes;
import dev.loam.ObjId;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signatures checked once: per process for the same bytes, per identity through the verification
 * marks of its own folder, and per batch concurrently with the same outcome as one by one.
 */
class VerificationOnceTest {
  private final SecureRandom random = TestSeeds.random(11);
  private final Identity alice = Identity.generate(random);
  private final Identity bob = Identity.generate(random);
  private final InMemoryStorageAdapter folder = new InMemoryStorageAdapter();
  private DocumentId doc;
  private SecureStore.StoredBytes envelope;

  /** Alice's folder: a document she shares with Bob, holding one envelope of hers. */
  @BeforeEach
  void aliceWritesAndShares() {
    SecureRepo repo = SecureRepo.of(folder, alice);
    SecureDocument d = repo.create();
    d.share(bob.memberId(), Level.READ);
    d.document().put(ObjId.ROOT, "note", "signed by alice");
    d.document().commit();
    repo.save(d);
    doc = d.id();
    envelope = repo.store().loadEncoded(doc).stream()
        .filter(s -> Arrays.equals(s.encoded().toByteArray(), 0, 4, Envelope.MAGIC, 0, 4)).findFirst().orElseThrow();
  }

  /** Replaces the envelope's bytes at rest by ones with a broken signature; returns them. */
  private Bytes breakSignature() {
    byte[] bytes = envelope.encoded().toByteArray();
    bytes[bytes.length - 1] ^= 1;
    Bytes broken = Bytes.wrap(bytes);
    folder.save(SecureStore.seqKey(doc, envelope.seq()), broken);
    assertThrows(MalformedItemException.class, () -> SecureItem.decode(bytes), "the broken signature really fails");
    return broken;
  }

  private SecureStore store() {
    return SecureRepo.of(folder, alice).store();
  }

  @Test
  void everyStoredItemCarriesItsIdentitysMark() {
    Map<Long, Bytes> marks = store().marks(doc);
    VerificationMarks mine = new VerificationMarks(alice);
    List<SecureStore.StoredBytes> items = store().loadEncoded(doc);
    assertEquals(items.size(), marks.size());
    for (SecureStore.StoredBytes s : items) {
      assertEquals(mine.mark(doc, s.encoded()), marks.get(s.seq()));
      assertNotEquals(new VerificationMarks(bob).mark(doc, s.encoded()), marks.get(s.seq()), "a mark is its identity's");
    }
  }

  @Test
  void reopeningOnesOwnFolderTrustsOnlyOnesOwnMarks() {
    // an item whose mark is valid is not verified again: here, bytes that would fail verification
    Bytes broken = breakSignature();
    store().saveMark(doc, envelope.seq(), new VerificationMarks(alice).mark(doc, broken));
    VerifiedItems.forgetAll();
    long before = VerifiedItems.signatureChecks();
    SecureDocument reopened = SecureRepo.of(folder, alice).open(doc).orElseThrow();
    assertEquals("{\"note\":\"signed by alice\"}", reopened.document().toJson());
    assertEquals(before, VerifiedItems.signatureChecks(), "a folder of marked items verifies nothing");

    // a copy of that folder opened by another identity: no valid mark, everything verified, forgery found
    VerifiedItems.forgetAll();
    assertThrows(MalformedItemException.class, () -> SecureRepo.of(folder, bob).open(doc));
  }

  @Test
  void aTamperedMarkMeansFullVerificationNeverAcceptance() {
    Bytes broken = breakSignature();
    VerificationMarks mine = new VerificationMarks(alice);
    for (Bytes mark : List.of(mine.mark(doc, envelope.encoded()), Bytes.wrap(new byte[32]),
        Bytes.wrap(Arrays.copyOf(mine.mark(doc, broken).toByteArray(), 31)))) {
      store().saveMark(doc, envelope.seq(), mark);
      VerifiedItems.forgetAll();
      assertThrows(MalformedItemException.class, () -> SecureRepo.of(folder, alice).open(doc), "mark " + mark.hex());
    }
  }

  @Test
  void unmarkedOrWronglyMarkedGoodItemsAreVerifiedOnceThenMarked() {
    store().saveMark(doc, envelope.seq(), Bytes.wrap(new byte[32]));
    VerifiedItems.forgetAll();
    long before = VerifiedItems.signatureChecks();
    SecureRepo.of(folder, bob).open(doc).orElseThrow(); // bob holds no mark at all: verifies all, marks all
    int n = store().loadEncoded(doc).size();
    assertEquals(before + n, VerifiedItems.signatureChecks());
    VerifiedItems.forgetAll();
    before = VerifiedItems.signatureChecks();
    SecureDocument again = SecureRepo.of(folder, bob).open(doc).orElseThrow();
    assertEquals("{\"note\":\"signed by alice\"}", again.document().toJson());
    assertEquals(before, VerifiedItems.signatureChecks(), "bob's second open verifies nothing");
  }

  @Test
  void theSameBytesAreVerifiedOncePerProcessAndOtherBytesAlways() {
    VerifiedItems.forgetAll();
    long before = VerifiedItems.signatureChecks();
    SecureItem.decode(envelope.encoded().toByteArray());
    SecureItem.decode(envelope.encoded().toByteArray());
    assertEquals(before + 1, VerifiedItems.signatureChecks());
    byte[] other = envelope.encoded().toByteArray();
    other[other.length - 1] ^= 1;
    assertThrows(MalformedItemException.class, () -> SecureItem.decode(other));
    assertThrows(MalformedItemException.class, () -> SecureItem.decode(other), "a failure is never cached");
  }

  @Test
  void aBatchIsVerifiedConcurrentlyWithTheSequentialOutcome() {
    List<Bytes> batch = new ArrayList<>();
    for (SecureStore.StoredBytes s : store().loadEncoded(doc)) {
      batch.add(s.encoded());
    }
    byte[] bad = envelope.encoded().toByteArray();
    bad[bad.length - 1] ^= 1;
    batch.add(1, Bytes.wrap(bad));
    batch.add(Bytes.wrap(new byte[] {'L', 'E', 'N', 'V', 1}));
    VerifiedItems.forgetAll();
    List<SecureItem.Decoded> parallel = SecureItem.decodeAll(batch);
    assertEquals(batch.size(), parallel.size());
    for (int i = 0; i < batch.size(); i++) {
      SecureItem.Decoded sequential;
      try {
        sequential = new SecureItem.Decoded.Item(SecureItem.decode(batch.get(i).toByteArray()));
      } catch (MalformedItemException e) {
        sequential = new SecureItem.Decoded.Malformed(e.getMessage());
      }
      assertEquals(sequential, parallel.get(i), "item " + i);
    }
    assertInstanceOf(SecureItem.Decoded.Malformed.class, parallel.get(1));
    assertInstanceOf(SecureItem.Decoded.Item.class, parallel.get(0));
  }

  @Test
  void aServerReloadingItsOwnStoreWithoutVerifyingGetsTheVerifiedLog() {
    SecureStore server = SecureStore.on(folder);
    SecureLog verified = SecureLog.restore(doc, server.load(doc));
    SecureLog trusted = SecureLog.restore(doc, server.loadVerifiedBefore(doc));
    assertEquals(verified.items(), trusted.items());
    assertEquals(verified.members(), trusted.members());
    assertEquals(verified.membershipHeads(), trusted.membershipHeads());
    assertEquals(verified.envelopeHeads(), trusted.envelopeHeads());
    for (SecureItem item : verified.items()) {
      if (item instanceof Envelope e) {
        assertEquals(verified.isValid(e.id()), trusted.isValid(e.id()));
      }
    }
    // and it really skips the check: what only the server itself could have stored is not re-verified
    breakSignature();
    assertEquals(verified.items().size(), server.loadVerifiedBefore(doc).size());
    assertThrows(MalformedItemException.class, () -> server.load(doc));
  }
}

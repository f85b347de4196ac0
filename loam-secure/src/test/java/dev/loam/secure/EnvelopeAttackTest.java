package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.secure.crypto.ChaCha20Poly1305;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The design's attacks on an envelope's content ("Tampered", "Forged" inner changes, size limits):
 * each is rejected by {@link EnvelopeCrypto#open} or by a reader's {@link SecureDocument}, with
 * nothing applied. Most attacks re-sign what they tamper with, as an insider (or a broken signature
 * layer) would: the checks of this layer must hold on their own.
 */
class EnvelopeAttackTest {
  private final SecureRandom random = TestSeeds.random(7);
  private final Identity alice = Identity.generate(random);
  private final Identity carol = Identity.generate(random);
  private final SecureDocument doc = SecureDocument.create(alice, random);
  private final EpochKey key;
  private final Envelope honest;
  private final Envelope second;

  EnvelopeAttackTest() {
    doc.share(carol.memberId(), Level.EDIT);
    key = KeyRing.open(doc.log(), alice).key(Epochs.writeEpoch(doc.log()).orElseThrow()).orElseThrow();
    write("secret", "the honest content");
    honest = (Envelope) doc.seal().get(0);
    write("more", "the second envelope");
    second = (Envelope) doc.seal().get(0);
  }

  private void write(String k, String v) {
    doc.document().put(ObjId.ROOT, k, v);
    doc.document().commit();
  }

  private Envelope resign(Envelope e, Bytes commit, Bytes ciphertext) {
    return Envelope.sign(e.documentId(), e.id(), alice.signingKey(), e.parents(), e.membershipHeads(), e.epoch(),
        commit, ciphertext);
  }

  private Envelope sealed(Payload payload) {
    return EnvelopeCrypto.seal(doc.id(), EnvelopeId.random(random), alice.signingKey(), doc.log().envelopeHeads(),
        doc.log().membershipHeads(), key.epoch(), key.key().toByteArray(), payload);
  }

  private Envelope sealedPlaintext(byte[] plaintext) {
    return EnvelopeCrypto.sealPlaintext(doc.id(), EnvelopeId.random(random), alice.signingKey(), doc.log().envelopeHeads(),
        doc.log().membershipHeads(), key.epoch(), key.key().toByteArray(), plaintext);
  }

  private byte[] epochKey() {
    return key.key().toByteArray();
  }

  /**
   * A reader holding the document admits {@code attack} (its header is valid: the server would
   * relay it) but does not apply it, and its document stays as it was.
   */
  private void assertRejectedByAReader(Envelope attack) {
    Identity bob = Identity.generate(random);
    doc.share(bob.memberId(), Level.READ);
    SecureDocument reader = SecureDocument.open(bob, doc.id(), doc.items(), random);
    String before = reader.document().toJson();
    int changes = reader.document().changes().size();
    assertEquals(List.of(attack), reader.receive(List.of(attack)), "admitted by the keyless log");
    assertFalse(reader.isApplied(attack.id()));
    assertTrue(reader.openFailure(attack.id()).isPresent());
    assertEquals(before, reader.document().toJson());
    assertEquals(changes, reader.document().changes().size());
  }

  @Test
  void theHonestEnvelopeOpens() {
    EnvelopeCrypto.Opened opened = EnvelopeCrypto.open(honest, epochKey());
    assertEquals(1, opened.payload().changes().size());
    Document d = Document.create();
    d.applyChanges(List.of(opened.payload().changes().get(0).toByteArray()));
    assertEquals("{\"secret\":\"the honest content\"}", d.toJson());
  }

  @Test
  void everyBitOfTheEncodingFlippedFailsTheSignature() {
    byte[] bytes = honest.encoded().toByteArray();
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] bad = bytes.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      int b = bit;
      assertThrows(MalformedItemException.class, () -> SecureItem.decode(bad), () -> "bit " + b);
    }
  }

  @Test
  void everyBitOfCiphertextAndTagFlippedUnderAValidSignatureDoesNotOpen() {
    byte[] ct = honest.ciphertext().toByteArray();
    for (int bit = 0; bit < ct.length * 8; bit++) {
      byte[] bad = ct.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Envelope e = resign(honest, honest.keyCommit(), Bytes.wrap(bad));
      int b = bit;
      assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()), () -> "bit " + b);
    }
  }

  @Test
  void everyBitOfTheKeyCommitmentFlippedDoesNotOpen() {
    byte[] commit = honest.keyCommit().toByteArray();
    for (int bit = 0; bit < commit.length * 8; bit++) {
      byte[] bad = commit.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Envelope e = resign(honest, Bytes.wrap(bad), honest.ciphertext());
      assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
    }
  }

  @Test
  void everyHeaderFieldChangedUnderAValidSignatureDoesNotOpen() {
    List<Envelope> attacks = new ArrayList<>();
    attacks.add(Envelope.sign(honest.documentId(), EnvelopeId.random(random), alice.signingKey(), honest.parents(),
        honest.membershipHeads(), honest.epoch(), honest.keyCommit(), honest.ciphertext()));
    attacks.add(Envelope.sign(honest.documentId(), honest.id(), alice.signingKey(), List.of(second.id()),
        honest.membershipHeads(), honest.epoch(), honest.keyCommit(), honest.ciphertext()));
    attacks.add(Envelope.sign(honest.documentId(), honest.id(), alice.signingKey(), honest.parents(),
        List.of(doc.log().genesis().orElseThrow().id()), honest.epoch(), honest.keyCommit(), honest.ciphertext()));
    attacks.add(Envelope.sign(SecureDocument.create(alice, random).id(), honest.id(), alice.signingKey(),
        honest.parents(), honest.membershipHeads(), honest.epoch(), honest.keyCommit(), honest.ciphertext()));
    attacks.add(Envelope.sign(honest.documentId(), honest.id(), carol.signingKey(), honest.parents(),
        honest.membershipHeads(), honest.epoch(), honest.keyCommit(), honest.ciphertext()));
    for (Envelope e : attacks) {
      assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()), e::toString);
    }
    assertRejectedByAReader(attacks.get(0));
  }

  @Test
  void truncatedExtendedAndSwappedCiphertextsDoNotOpen() {
    byte[] ct = honest.ciphertext().toByteArray();
    List<Envelope> attacks = List.of(
        resign(honest, honest.keyCommit(), Bytes.wrap(Arrays.copyOf(ct, ct.length - 1))),
        resign(honest, honest.keyCommit(), Bytes.wrap(Arrays.copyOf(ct, ct.length + 1))),
        resign(honest, honest.keyCommit(), Bytes.wrap(Arrays.copyOf(ct, ChaCha20Poly1305.TAG_LENGTH))),
        resign(honest, honest.keyCommit(), second.ciphertext()),
        resign(honest, second.keyCommit(), second.ciphertext()));
    for (Envelope e : attacks) {
      assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
    }
    assertRejectedByAReader(Envelope.sign(doc.id(), EnvelopeId.random(random), alice.signingKey(), doc.log().envelopeHeads(),
        doc.log().membershipHeads(), second.epoch(), second.keyCommit(), second.ciphertext()));
  }

  @Test
  void aWrongKeyUnderWhichTheCiphertextDecryptsIsCaughtByTheKeyCommitment() {
    // The envelope commits to the epoch key, but its ciphertext was sealed under another key: a
    // reader handed that other key would decrypt it without error. The commitment stops it first.
    byte[] otherEpochKey = new byte[32];
    random.nextBytes(otherEpochKey);
    EnvelopeId id = EnvelopeId.random(random);
    byte[] aad = Envelope.aad(doc.id(), id, alice.signingKey().publicKey(), honest.parents(), honest.membershipHeads(),
        honest.epoch());
    byte[] plaintext = EnvelopeCrypto.pad(EnvelopeCrypto.deflate(new Payload(List.of(), List.of()).encode()));
    byte[] nonce = new byte[ChaCha20Poly1305.NONCE_LENGTH];
    byte[] ct = ChaCha20Poly1305.seal(EnvelopeCrypto.contentKey(otherEpochKey, id), nonce, aad, plaintext);
    Envelope e = Envelope.sign(doc.id(), id, alice.signingKey(), honest.parents(), honest.membershipHeads(),
        honest.epoch(), Bytes.wrap(EnvelopeCrypto.commitment(EnvelopeCrypto.contentKey(epochKey(), id))), Bytes.wrap(ct));

    assertArrayEquals(plaintext, ChaCha20Poly1305.open(EnvelopeCrypto.contentKey(otherEpochKey, id), nonce, aad, ct),
        "the wrong key does decrypt");
    EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, otherEpochKey));
    assertTrue(x.getMessage().contains("key commitment"), x.getMessage());
    assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
  }

  private Change carolsChange() {
    Document d = Document.create(BoundActor.fresh(carol.signingKey().publicKey(), random));
    d.put(ObjId.ROOT, "who", "carol's change in alice's envelope");
    d.commit();
    return d.changes().get(0);
  }

  private Change alicesChange() {
    Document d = Document.create(BoundActor.fresh(alice.signingKey().publicKey(), random));
    d.put(ObjId.ROOT, "who", "alice");
    d.commit();
    return d.changes().get(0);
  }

  @Test
  void aChangeWhoseActorIsBoundToAnotherKeyIsRejected() {
    Change c = carolsChange();
    Envelope e = sealed(new Payload(List.of(c.actor()), List.of(c.bytes())));
    EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
    assertTrue(x.getMessage().contains("not bound"), x.getMessage());
    assertRejectedByAReader(e);
  }

  @Test
  void anUndeclaredActorIsRejected() {
    Change c = alicesChange();
    ActorId otherOfAlices = BoundActor.fresh(alice.signingKey().publicKey(), random);
    Envelope none = sealed(new Payload(List.of(), List.of(c.bytes())));
    Envelope other = sealed(new Payload(List.of(otherOfAlices), List.of(c.bytes())));
    for (Envelope e : List.of(none, other)) {
      EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
      assertTrue(x.getMessage().contains("not declared"), x.getMessage());
    }
    assertRejectedByAReader(none);
    Envelope random16 = sealed(new Payload(List.of(ActorId.of(new byte[32])), List.of()));
    assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(random16, epochKey()), "an unbound declared actor");
  }

  @Test
  void aChangeWhoseHashDoesNotMatchItsBytesIsRejected() {
    Change c = alicesChange();
    byte[] chunk = c.bytes().toByteArray();
    chunk[chunk.length - 3] ^= 0x01;
    Envelope e = sealed(new Payload(List.of(c.actor()), List.of(Bytes.wrap(chunk))));
    EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
    assertTrue(x.getMessage().contains("hash"), x.getMessage());
    assertRejectedByAReader(e);
  }

  @Test
  void aChangeThatDoesNotDecodeLeavesTheReaderUntouched() {
    // a chunk with a valid checksum around garbage ops: only the document's decoder can tell
    Change c = alicesChange();
    byte[] chunk = c.bytes().toByteArray();
    byte[] body = Arrays.copyOfRange(chunk, 8, chunk.length);
    body[body.length - 2] ^= 0x55;
    byte[] hash = dev.loam.secure.crypto.Digests.sha256(body);
    byte[] bad = chunk.clone();
    System.arraycopy(hash, 0, bad, 4, 4);
    System.arraycopy(body, 0, bad, 8, body.length);
    Change good = alicesChange();
    Envelope e = sealed(new Payload(List.of(c.actor(), good.actor()), List.of(good.bytes(), Bytes.wrap(bad))));
    assertRejectedByAReader(e);

    // opened together with a good envelope, in one batch: the good one still applies, alone
    Change other = alicesChange();
    Envelope fine = sealed(new Payload(List.of(other.actor()), List.of(other.bytes())));
    List<SecureItem> all = new ArrayList<>(doc.items());
    all.add(e);
    all.add(fine);
    SecureDocument reader = SecureDocument.open(alice, doc.id(), all, random);
    assertTrue(reader.isApplied(fine.id()));
    assertFalse(reader.isApplied(e.id()));
    assertTrue(reader.openFailure(e.id()).isPresent());
    assertTrue(reader.document().change(good.hash()).isEmpty(), "nothing of the bad envelope, not even its good change");
    assertTrue(reader.document().change(other.hash()).isPresent());
    assertEquals("{\"more\":\"the second envelope\",\"secret\":\"the honest content\",\"who\":\"alice\"}",
        reader.document().toJson());
  }

  @Test
  void aChangeDependingOnAChangeOutsideTheEnvelopesPastIsRejected() {
    // carol's change follows alice's second envelope, but carol's envelope names an older parent:
    // readers who got the second envelope later would otherwise apply it in another state
    SecureDocument c = SecureDocument.open(carol, doc.id(), doc.items(), random);
    c.document().put(ObjId.ROOT, "carol", "after the second envelope");
    c.document().commit();
    Change change = c.document().changes().get(c.document().changes().size() - 1);
    Envelope e = EnvelopeCrypto.seal(doc.id(), EnvelopeId.random(random), carol.signingKey(), List.of(honest.id()),
        doc.log().membershipHeads(), key.epoch(), epochKey(), new Payload(List.of(change.actor()), List.of(change.bytes())));
    assertNotAppliedByAlice(e);
  }

  private void assertNotAppliedByAlice(Envelope e) {
    SecureDocument reader = SecureDocument.open(alice, doc.id(), doc.items(), random);
    String before = reader.document().toJson();
    assertEquals(List.of(e), reader.receive(List.of(e)));
    assertFalse(reader.isApplied(e.id()));
    assertTrue(reader.openFailure(e.id()).orElseThrow().contains("causal past"), reader.openFailure(e.id()).orElseThrow());
    assertEquals(before, reader.document().toJson());
  }

  @Test
  void aZipBombStopsAtTheSizeLimit() {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    byte[] buf = new byte[1 << 16];
    for (int i = 0; i < (EnvelopeCrypto.MAX_PAYLOAD >> 20) + 16; i++) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    assertTrue(out.size() < 200_000, "a bomb: " + out.size() + " bytes");
    Envelope e = sealedPlaintext(EnvelopeCrypto.pad(out.toByteArray()));
    EnvelopeOpenException x = assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(e, epochKey()));
    assertTrue(x.getMessage().contains("inflates past"), x.getMessage());
  }

  @Test
  void badPaddingIsRejected() {
    byte[] good = EnvelopeCrypto.pad(EnvelopeCrypto.deflate(new Payload(List.of(), List.of()).encode()));
    assertTrue(good.length > 4);
    EnvelopeCrypto.open(sealedPlaintext(good), epochKey());
    byte[] nonZeroPad = EnvelopeCrypto.pad(EnvelopeCrypto.deflate(new byte[300]));
    nonZeroPad[nonZeroPad.length - 1] = 1;
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    byte[] lengthTooBig = good.clone();
    lengthTooBig[0] = 0x7f;
    for (byte[] p : List.of(nonZeroPad, longer, lengthTooBig, new byte[3], new byte[0])) {
      assertThrows(EnvelopeOpenException.class, () -> EnvelopeCrypto.open(sealedPlaintext(p), epochKey()));
    }
  }

  static java.util.stream.LongStream seeds() {
    return TestSeeds.seeds();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void fuzzedPlaintextsNeverThrowPastTheDecoder(long seed) {
    SecureRandom r = TestSeeds.random(seed);
    byte[] valid = EnvelopeCrypto.pad(EnvelopeCrypto.deflate(new Payload(List.of(alicesChange().actor()),
        List.of(alicesChange().bytes())).encode()));
    for (int round = 0; round < 20; round++) {
      byte[] p = round % 2 == 0 ? valid.clone() : new byte[r.nextInt(300)];
      if (round % 2 == 0) {
        for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
          p[r.nextInt(p.length)] ^= (byte) (1 + r.nextInt(255));
        }
      } else {
        r.nextBytes(p);
      }
      try {
        EnvelopeCrypto.open(sealedPlaintext(p), epochKey());
      } catch (EnvelopeOpenException expected) {
        // rejected cleanly
      } catch (RuntimeException e) {
        fail("seed " + seed + " round " + round + ": " + e, e);
      }
    }
  }
}

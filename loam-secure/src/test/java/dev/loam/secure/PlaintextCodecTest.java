package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ActorId;
import dev.loam.Bytes;
import dev.loam.Change;
import dev.loam.Document;
import dev.loam.ObjId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of an envelope's plaintext: bound actors, PADMÉ, the payload and change heads. */
class PlaintextCodecTest {
  private static final Identity ALICE = Identity.generate(TestSeeds.random(11));
  private static final Identity BOB = Identity.generate(TestSeeds.random(12));

  @Test
  void aBoundActorChecksAgainstItsOwnKeyOnly() {
    ActorId a = BoundActor.fresh(ALICE.signingKey().publicKey(), TestSeeds.random(1));
    assertEquals(32, a.length());
    assertTrue(BoundActor.isBound(a, ALICE.signingKey().publicKey()));
    assertFalse(BoundActor.isBound(a, BOB.signingKey().publicKey()));
    byte[] flipped = a.toByteArray();
    flipped[3] ^= 1;
    assertFalse(BoundActor.isBound(ActorId.of(flipped), ALICE.signingKey().publicKey()));
    assertFalse(BoundActor.isBound(ActorId.random(TestSeeds.random(2)), ALICE.signingKey().publicKey()), "16 random bytes");
  }

  @Test
  void twoFreshActorsOfOneIdentityDiffer() {
    var random = TestSeeds.random(3);
    assertNotEquals(BoundActor.fresh(ALICE.signingKey().publicKey(), random),
        BoundActor.fresh(ALICE.signingKey().publicKey(), random));
  }

  @Test
  void padmeKeepsOnlyTheTopBitsOfTheLength() {
    // values from the PURBs paper's definition: E = floor(log2 L), S = floor(log2 E) + 1, clear E - S low bits
    assertEquals(0, Padme.padded(0));
    assertEquals(1, Padme.padded(1));
    assertEquals(10, Padme.padded(9)); // E = 3, S = 2: the 1 low bit cleared, 9 rounds up to 10
    assertEquals(8, Padme.padded(8));
    assertEquals(272, Padme.padded(260)); // E = 8, S = 4: 4 low bits cleared, 260 rounds up to 17 x 16
  }

  @Test
  void padmeMatchesItsDefinitionAndNeverShrinks() {
    for (int len = 2; len < 70_000; len++) {
      int e = 31 - Integer.numberOfLeadingZeros(len);
      int s = 32 - Integer.numberOfLeadingZeros(e);
      int lowBits = e - s;
      int p = Padme.padded(len);
      assertTrue(p >= len && p - len < (1 << Math.max(lowBits, 0)), "length " + len);
      assertEquals(0, p & ((1 << lowBits) - 1), "low bits of the padded length of " + len);
      assertTrue(p <= len * 1.12 + 1, "overhead of " + len);
    }
    assertEquals(1 << 20, Padme.padded((1 << 20) - 5));
    assertEquals(1_015_808, Padme.padded(1_000_000)); // E = 19, S = 5: 14 low bits cleared, 62 x 16384
  }

  @Test
  void payloadRoundTripsAndRejectsNonCanonicalForms() {
    ActorId a = BoundActor.fresh(ALICE.signingKey().publicKey(), TestSeeds.random(4));
    ActorId b = BoundActor.fresh(ALICE.signingKey().publicKey(), TestSeeds.random(5));
    Payload p = new Payload(List.of(b, a), List.of(Bytes.of(new byte[] {1, 2, 3}), Bytes.EMPTY));
    Payload back = Payload.decode(p.encode());
    assertEquals(p, back);
    assertTrue(back.actors().get(0).compareTo(back.actors().get(1)) < 0, "actors ascending");

    byte[] trailing = Arrays.copyOf(p.encode(), p.encode().length + 1);
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(trailing));
    byte[] enc = p.encode();
    byte[] swapped = enc.clone(); // the two actors in descending order
    System.arraycopy(enc, 1 + 32, swapped, 1, 32);
    System.arraycopy(enc, 1, swapped, 1 + 32, 32);
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(swapped));
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(new byte[] {(byte) 0x80, 0}), "non-minimal varint");
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(new byte[] {0, 1, 5, 1}), "a change longer than the rest");
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(new byte[0]));
    assertThrows(EnvelopeOpenException.class, () -> Payload.decode(HexFormat.of().parseHex("ffffffffffffffffffff01")));
  }

  @Test
  void aChangeHeaderNamesItsActorAndHashAndRejectsABadChecksum() {
    ActorId actor = BoundActor.fresh(ALICE.signingKey().publicKey(), TestSeeds.random(6));
    Document doc = Document.create(actor);
    doc.put(ObjId.ROOT, "secret", "x".repeat(2000));
    doc.commit();
    doc.put(ObjId.ROOT, "second", 2);
    doc.commit();
    List<Change> changes = doc.changes();
    for (Change c : changes) {
      ChangeHeader h = ChangeHeader.read(c.bytes().toByteArray());
      assertEquals(c.hash(), h.hash());
      assertEquals(actor, h.actor());
      assertEquals(c.deps(), h.deps());
    }
    byte[] chunk = changes.get(1).bytes().toByteArray();
    for (int i : new int[] {0, 4, 8, 9, chunk.length - 1}) {
      byte[] bad = chunk.clone();
      bad[i] ^= 0x10;
      assertThrows(EnvelopeOpenException.class, () -> ChangeHeader.read(bad), "byte " + i + " flipped");
    }
    assertThrows(EnvelopeOpenException.class, () -> ChangeHeader.read(Arrays.copyOf(chunk, chunk.length - 1)));
    assertThrows(EnvelopeOpenException.class, () -> ChangeHeader.read(Arrays.copyOf(chunk, chunk.length + 1)));
  }
}

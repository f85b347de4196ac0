package dev.loam.secure;

import static dev.loam.secure.Scenario.on;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.secure.MembershipOp.Add;
import dev.loam.secure.MembershipOp.Genesis;
import dev.loam.secure.MembershipOp.Remove;
import dev.loam.secure.MembershipOp.Rotate;
import dev.loam.secure.crypto.Digests;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The op and envelope encodings: round trips, canonical form, and every damaged copy rejected. */
class ItemFormatTest {
  private static final Scenario S = new Scenario(7);
  private static final Identity BOB = S.identity();
  private static final Identity CAROL = S.identity();
  private static final Add ADD_READER = S.add(S.root, on(S.genesis), BOB, Level.READ);
  private static final Add ADD_RELAY = S.add(S.root, on(S.genesis, ADD_READER), CAROL, Level.RELAY);
  private static final Rotate ROTATE = S.rotate(S.root, on(ADD_RELAY), List.of(S.root, BOB));
  private static final Envelope CUTOFF = S.envelope(S.root, List.of(), on(S.genesis));
  private static final Remove REMOVE = S.remove(S.root, on(ROTATE), BOB, Set.of(CUTOFF.id()));
  private static final Envelope ENVELOPE = S.envelope(BOB, List.of(CUTOFF.id()), on(ADD_READER, ADD_RELAY), ROTATE.id());

  static Stream<SecureItem> items() {
    return Stream.of(S.genesis, ADD_READER, ADD_RELAY, ROTATE, REMOVE, CUTOFF, ENVELOPE);
  }

  /** One item of each layout (an envelope with parents stands for both): each bit flip costs a signature check. */
  static Stream<SecureItem> layouts() {
    return Stream.of(S.genesis, ADD_READER, ADD_RELAY, ROTATE, REMOVE, ENVELOPE);
  }

  @ParameterizedTest
  @MethodSource("items")
  void decodingTheEncodingGivesTheSameItem(SecureItem item) {
    SecureItem back = SecureItem.decode(item.encoded().toByteArray());
    assertEquals(item, back);
    assertEquals(item.itemId(), back.itemId());
    assertEquals(item.documentId(), back.documentId());
    assertEquals(S.doc, back.documentId());
    if (item instanceof MembershipOp op) {
      assertEquals(Bytes.wrap(Digests.sha256(item.encoded().toByteArray())), op.id().bytes());
    }
  }

  @Test
  void opsCarryWhatTheirFactoriesWereGiven() {
    assertEquals(S.root.memberId(), S.genesis.root());
    assertEquals(List.of(), S.genesis.parents());
    assertEquals(S.root.memberId().signingKey(), S.genesis.issuer());
    assertEquals(MembershipOp.Genesis.documentIdOf(S.genesis.id()), S.doc);
    assertEquals(BOB.memberId(), ADD_READER.member());
    assertEquals(Level.READ, ADD_READER.level());
    assertEquals(S.genesis.id(), ADD_READER.grant().orElseThrow().epoch());
    assertEquals(Optional.empty(), ADD_RELAY.grant());
    assertEquals(on(S.genesis, ADD_READER).stream().sorted().toList(), ADD_RELAY.parents());
    assertEquals(List.of(S.root.memberId().signingKey(), BOB.memberId().signingKey()).stream()
        .sorted((a, b) -> Bytes.wrap(a.toBytes()).compareTo(Bytes.wrap(b.toBytes()))).toList(),
        ROTATE.wraps().stream().map(MembershipOp.Wrap::member).toList());
    assertEquals(List.of(S.genesis.id()), ROTATE.previous().stream().map(MembershipOp.Link::epoch).toList());
    assertEquals(BOB.memberId().signingKey(), REMOVE.member());
    assertEquals(List.of(CUTOFF.id()), REMOVE.cutoff());
    assertEquals(ROTATE.id(), ENVELOPE.epoch());
    assertEquals(BOB.memberId().signingKey(), ENVELOPE.author());
  }

  @Test
  void theGenesisDerivesItsDocumentId() {
    byte[] expected = Arrays.copyOf(Digests.sha256(concat("loam-secure-doc-v1".getBytes(), S.genesis.id().bytes().toByteArray())), 16);
    assertArrayEquals(expected, S.doc.bytes().toByteArray());
  }

  @Test
  void theAadIsTheClearHeaderAndBindsEveryField() {
    byte[] aad = ENVELOPE.aad();
    byte[] encoded = ENVELOPE.encoded().toByteArray();
    assertArrayEquals(Arrays.copyOf(encoded, aad.length), aad);
    assertArrayEquals(aad, Envelope.aad(S.doc, ENVELOPE.id(), BOB.memberId().signingKey(), ENVELOPE.parents(),
        ENVELOPE.membershipHeads(), ENVELOPE.epoch()));
    // The header is magic, version, document, id, author, parents, heads, epoch: nothing else.
    int expectedLength = 4 + 1 + 16 + 32 + 32 + (1 + 32) + (1 + 2 * 32) + 32;
    assertEquals(expectedLength, aad.length);
    List<byte[]> others = List.of(
        Envelope.aad(S.doc, CUTOFF.id(), BOB.memberId().signingKey(), ENVELOPE.parents(), ENVELOPE.membershipHeads(), ENVELOPE.epoch()),
        Envelope.aad(S.doc, ENVELOPE.id(), S.root.memberId().signingKey(), ENVELOPE.parents(), ENVELOPE.membershipHeads(), ENVELOPE.epoch()),
        Envelope.aad(S.doc, ENVELOPE.id(), BOB.memberId().signingKey(), List.of(), ENVELOPE.membershipHeads(), ENVELOPE.epoch()),
        Envelope.aad(S.doc, ENVELOPE.id(), BOB.memberId().signingKey(), ENVELOPE.parents(), on(S.genesis), ENVELOPE.epoch()),
        Envelope.aad(S.doc, ENVELOPE.id(), BOB.memberId().signingKey(), ENVELOPE.parents(), ENVELOPE.membershipHeads(), S.genesis.id()),
        Envelope.aad(new Scenario(8).doc, ENVELOPE.id(), BOB.memberId().signingKey(), ENVELOPE.parents(), ENVELOPE.membershipHeads(), ENVELOPE.epoch()));
    for (byte[] other : others) {
      assertTrue(!Arrays.equals(aad, other));
    }
  }

  @Test
  void signSortsAndDeduplicatesParentsAndHeads() {
    Envelope a = S.envelope(BOB, List.of(ENVELOPE.id(), CUTOFF.id(), ENVELOPE.id()), on(ADD_RELAY, S.genesis));
    assertEquals(List.of(ENVELOPE.id(), CUTOFF.id()).stream().sorted().toList(), a.parents());
    assertEquals(on(ADD_RELAY, S.genesis).stream().sorted().toList(), a.membershipHeads());
    assertEquals(a, SecureItem.decode(a.encoded().toByteArray()));
  }

  @Test
  void factoriesRefuseWhatTheFormatCannotHold() {
    assertThrows(IllegalArgumentException.class, () -> Add.sign(S.root, S.doc, on(S.genesis), BOB.memberId(), Level.READ, Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> Add.sign(S.root, S.doc, on(S.genesis), BOB.memberId(), Level.RELAY, Optional.of(S.epoch0)));
    assertThrows(IllegalArgumentException.class, () -> Add.sign(S.root, S.doc, List.of(), BOB.memberId(), Level.RELAY, Optional.empty()));
    List<OpId> many = new ArrayList<>();
    for (int i = 0; i <= 1024; i++) {
      byte[] b = new byte[32];
      b[0] = (byte) i;
      b[1] = (byte) (i >> 8);
      many.add(OpId.of(b));
    }
    assertThrows(IllegalArgumentException.class, () -> Remove.sign(S.root, S.doc, many, BOB.memberId().signingKey(), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> S.envelope(BOB, List.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyFlippedBitIsRejected(SecureItem item) {
    byte[] good = item.encoded().toByteArray();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertMalformed(bad, "bit " + bit);
    }
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyTruncationAndExtensionIsRejected(SecureItem item) {
    byte[] good = item.encoded().toByteArray();
    for (int length = 0; length < good.length; length++) {
      assertMalformed(Arrays.copyOf(good, length), "length " + length);
    }
    for (int extra = 1; extra <= 3; extra++) {
      assertMalformed(Arrays.copyOf(good, good.length + extra), "extended by " + extra);
    }
  }

  /** Re-signs a hand-edited body with the right key, so only the canonical-form check can reject it. */
  private static byte[] resigned(byte[] body, Identity signer, String domain) {
    return concat(body, signer.signingKey().sign(concat((domain + "\0").getBytes(), body)));
  }

  private static byte[] body(SecureItem item) {
    byte[] e = item.encoded().toByteArray();
    return Arrays.copyOf(e, e.length - 64);
  }

  @Test
  void resignedBodiesStillDecodeSoTheRejectionsBelowAreAboutForm() {
    byte[] again = resigned(body(ADD_READER), S.root, "loam-op-v1");
    assertInstanceOf(Add.class, SecureItem.decode(again));
    byte[] envelope = resigned(body(ENVELOPE), BOB, "loam-envelope-v1");
    assertEquals(ENVELOPE.id(), ((Envelope) SecureItem.decode(envelope)).id());
  }

  @Test
  void nonCanonicalOpsAreRejectedEvenWhenSigned() {
    byte[] add = body(ADD_RELAY);
    int parents = 4 + 1 + 1 + 16 + 32; // parent count
    assertEquals(2, add[parents]);
    // parents swapped: not ascending
    byte[] swapped = add.clone();
    System.arraycopy(add, parents + 1, swapped, parents + 33, 32);
    System.arraycopy(add, parents + 33, swapped, parents + 1, 32);
    assertMalformed(resigned(swapped, S.root, "loam-op-v1"), "unsorted parents");
    // parents duplicated
    byte[] duplicated = add.clone();
    System.arraycopy(add, parents + 1, duplicated, parents + 33, 32);
    assertMalformed(resigned(duplicated, S.root, "loam-op-v1"), "duplicate parents");
    // count 2 written as a two-byte varint (0x82 0x00)
    byte[] longVarint = concat(Arrays.copyOf(add, parents), new byte[] {(byte) 0x82, 0}, Arrays.copyOfRange(add, parents + 1, add.length));
    assertMalformed(resigned(longVarint, S.root, "loam-op-v1"), "non-minimal varint");
    // zero parents
    byte[] orphan = concat(Arrays.copyOf(add, parents), new byte[] {0}, Arrays.copyOfRange(add, parents + 65, add.length));
    assertMalformed(resigned(orphan, S.root, "loam-op-v1"), "no parents");
    // relay carrying a grant
    byte[] relayWithGrant = concat(add, ADD_READER.grant().orElseThrow().epoch().bytes().toByteArray(), new byte[80]);
    assertMalformed(resigned(relayWithGrant, S.root, "loam-op-v1"), "relay with grant");
    // a reader's add without its grant
    byte[] reader = body(ADD_READER);
    assertMalformed(resigned(Arrays.copyOf(reader, reader.length - 112), S.root, "loam-op-v1"), "reader without grant");
    // unknown level, version, kind
    byte[] level = add.clone();
    level[level.length - 1] = 4;
    assertMalformed(resigned(level, S.root, "loam-op-v1"), "level 4");
    byte[] version = add.clone();
    version[4] = 2;
    assertMalformed(resigned(version, S.root, "loam-op-v1"), "version 2");
    byte[] kind = add.clone();
    kind[5] = 4;
    assertMalformed(resigned(kind, S.root, "loam-op-v1"), "kind 4");
    // trailing byte inside the signed body
    assertMalformed(resigned(concat(add, new byte[1]), S.root, "loam-op-v1"), "trailing byte");
    // signed under the envelope domain
    assertMalformed(resigned(add, S.root, "loam-envelope-v1"), "wrong domain");
  }

  @Test
  void nonCanonicalEnvelopesAreRejectedEvenWhenSigned() {
    byte[] body = body(ENVELOPE);
    int ciphertextLength = body.length - 40 - 1;
    assertEquals(40, body[ciphertextLength]);
    byte[] longVarint = concat(Arrays.copyOf(body, ciphertextLength), new byte[] {(byte) 0xa8, 0}, Arrays.copyOfRange(body, ciphertextLength + 1, body.length));
    assertMalformed(resigned(longVarint, BOB, "loam-envelope-v1"), "non-minimal varint");
    byte[] shortCiphertext = concat(Arrays.copyOf(body, ciphertextLength), new byte[] {15}, new byte[15]);
    assertMalformed(resigned(shortCiphertext, BOB, "loam-envelope-v1"), "ciphertext shorter than a tag");
    int heads = 4 + 1 + 16 + 32 + 32 + 1 + 32;
    assertEquals(2, body[heads]);
    byte[] noHeads = concat(Arrays.copyOf(body, heads), new byte[] {0}, Arrays.copyOfRange(body, heads + 65, body.length));
    assertMalformed(resigned(noHeads, BOB, "loam-envelope-v1"), "no membership heads");
    byte[] swapped = body.clone();
    System.arraycopy(body, heads + 1, swapped, heads + 33, 32);
    System.arraycopy(body, heads + 33, swapped, heads + 1, 32);
    assertMalformed(resigned(swapped, BOB, "loam-envelope-v1"), "unsorted heads");
    assertMalformed(resigned(concat(body, new byte[1]), BOB, "loam-envelope-v1"), "trailing byte");
    assertMalformed(resigned(body, BOB, "loam-op-v1"), "wrong domain");
    assertMalformed(resigned(body, S.root, "loam-envelope-v1"), "signed by another key");
  }

  @Test
  void otherBytesAreNotItems() {
    assertMalformed(new byte[0], "empty");
    assertMalformed("LMID".getBytes(), "identity magic");
    assertMalformed(HexFormat.of().parseHex("4c4d4f50"), "bare op magic");
    assertMalformed(HexFormat.of().parseHex("4c454e5601"), "bare envelope magic");
    assertMalformed(new byte[SecureItem.MAX_ENCODED_BYTES + 1], "over 16 MiB");
  }

  static void assertMalformed(byte[] bytes, String what) {
    try {
      SecureItem.decode(bytes);
    } catch (MalformedItemException expected) {
      return;
    } catch (RuntimeException other) {
      throw new AssertionError(what + ": threw " + other + " instead of MalformedItemException", other);
    }
    throw new AssertionError(what + ": decoded");
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}

package dev.loam.repo.id;

import dev.loam.repo.internal.Base58;
import dev.loam.ChangeHash;
import dev.loam.Heads;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentIdTest {
  /** The verified example from the reference notes (§D.3). */
  static final String VERIFIED = "paDvPLpbtauLzSphGAQpT65EzH9";

  @Test
  void theVerifiedExampleDecodesToSixteenBytesOfAUuidV4() {
    DocumentId id = DocumentId.parse(VERIFIED);
    assertEquals(16, id.bytes().size());
    assertEquals(0x40, id.bytes().get(6) & 0xf0, "UUID version 4");
    assertEquals(0x80, id.bytes().get(8) & 0xc0, "RFC 4122 variant");
    assertEquals(VERIFIED, id.toString());
    assertEquals(VERIFIED, DocumentId.of(id.bytes().toByteArray()).toString());
  }

  @Test
  void theFixtureIdsRoundTrip() {
    for (String text : new String[] {"2j9knpCseyhnK8izDmLpGP5WMdZQ", "2HkVqnFk8So9JxZFynSuR4CBK8u5"}) {
      DocumentId id = DocumentId.parse(text);
      assertEquals(16, id.bytes().size());
      assertEquals(text, DocumentId.of(id.bytes().toByteArray()).toString());
      assertEquals("automerge:" + text, id.toUrl().toString());
    }
  }

  @Test
  void aBadChecksumOrAlphabetIsRejected() {
    char last = VERIFIED.charAt(VERIFIED.length() - 1);
    String flipped = VERIFIED.substring(0, VERIFIED.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertTrue(DocumentId.tryParse(flipped).isEmpty());
    assertTrue(DocumentId.tryParse("0OIl").isEmpty(), "0, O, I and l are not base58");
    assertTrue(DocumentId.tryParse("").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> DocumentId.parse("not an id"));
  }

  @Test
  void randomIdsAreUuidV4AndSeededOnesRepeat() {
    DocumentId a = DocumentId.random(new Random(7));
    DocumentId b = DocumentId.random(new Random(7));
    assertEquals(a, b);
    assertNotEquals(a, DocumentId.random());
    assertEquals(0x40, a.bytes().get(6) & 0xf0);
    assertEquals(a, DocumentId.parse(a.toString()));
  }

  @Test
  void leadingZeroBytesBecomeLeadingOnes() {
    byte[] b = new byte[16];
    b[15] = 1;
    DocumentId id = DocumentId.of(b);
    assertTrue(id.toString().startsWith("1".repeat(15)));
    assertEquals(id, DocumentId.parse(id.toString()));
  }

  @Test
  void aLegacyUuidIsConvertedToItsBytes() {
    UUID uuid = UUID.fromString("f81d4fae-7dec-41d0-a765-00a0c91e6bf6");
    DocumentId id = DocumentId.parse(uuid.toString());
    assertEquals("f81d4fae7dec41d0a76500a0c91e6bf6", id.bytes().hex());
    assertEquals(id, DocumentId.of(uuid));
    assertEquals(id, AutomergeUrl.parse(uuid.toString()).documentId());
  }

  @Test
  void idsOfOtherLengthsAreAcceptedAsAutomergeRepoRelaysThem() {
    DocumentId id = DocumentId.of(HexFormat.of().parseHex("0102030405"));
    assertEquals(5, DocumentId.parse(id.toString()).bytes().size());
    assertThrows(IllegalArgumentException.class, () -> DocumentId.of(new byte[0]));
  }

  @Test
  void urlsCarryHeadsAsSortedBs58check() {
    ChangeHash h1 = ChangeHash.fromHex("8bbc1a968062aba775668a94a5b04638901244acfe38c34fa38b673de7f27862");
    ChangeHash h2 = ChangeHash.fromHex("51c079da5a4e1e1fc344a09d549714beffb716cfe68fa16897c2f46d3ef89619");
    DocumentId id = DocumentId.parse(VERIFIED);
    AutomergeUrl url = AutomergeUrl.of(id, Heads.of(h1, h2));
    String text = url.toString();
    String[] heads = text.substring(text.indexOf('#') + 1).split("\\|");
    assertEquals(2, heads.length);
    assertTrue(heads[0].compareTo(heads[1]) < 0, "sorted as automerge-repo sorts them");
    AutomergeUrl back = AutomergeUrl.parse(text);
    assertEquals(Heads.of(h1, h2), back.heads().orElseThrow());
    assertEquals(id, back.documentId());
    assertEquals(url, back);
    assertEquals(Optional.of(h1), AutomergeUrl.decodeHead(AutomergeUrl.encodeHead(h1)));
    assertEquals(AutomergeUrl.of(id), back.withoutHeads());
  }

  @Test
  void urlsWithEmptyHeadsAPathOrTwoHashSignsParseAsAutomergeRepoDoes() {
    assertEquals(Heads.EMPTY, AutomergeUrl.parse("automerge:" + VERIFIED + "#").heads().orElseThrow());
    AutomergeUrl withPath = AutomergeUrl.parse("automerge:" + VERIFIED + "/todos/0");
    assertEquals("todos/0", withPath.path().orElseThrow());
    assertEquals("automerge:" + VERIFIED + "/todos/0", withPath.toString());
    assertTrue(AutomergeUrl.tryParse("automerge:" + VERIFIED + "#a#b").isEmpty());
    assertTrue(AutomergeUrl.tryParse("automerge:" + VERIFIED + "#notAHead").isEmpty());
    assertTrue(AutomergeUrl.tryParse("automerge:").isEmpty());
    assertFalse(AutomergeUrl.parse("automerge:" + VERIFIED).heads().isPresent());
    assertEquals(DocumentId.parse(VERIFIED), DocumentId.parse("automerge:" + VERIFIED));
  }

  /** Base58 the textbook way, as a reference: the number in base 58 by big-number division, a '1' per leading zero byte. */
  private static String referenceBase58(byte[] bytes) {
    String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    StringBuilder sb = new StringBuilder();
    for (java.math.BigInteger n = new java.math.BigInteger(1, bytes); n.signum() > 0; n = n.divide(java.math.BigInteger.valueOf(58))) {
      sb.append(alphabet.charAt(n.mod(java.math.BigInteger.valueOf(58)).intValue()));
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  @Test
  void base58AgreesWithTheTextbookBigNumberForm() {
    long seed = Long.parseLong(System.getenv().getOrDefault("LOAM_TEST_SEED", "58"));
    Random r = new Random(seed);
    for (int k = 0; k < 2_000; k++) {
      byte[] b = new byte[r.nextInt(40)];
      r.nextBytes(b);
      for (int z = 0, zeros = r.nextInt(4) == 0 ? r.nextInt(4) : 0; z < Math.min(zeros, b.length); z++) {
        b[z] = 0;
      }
      String expected = referenceBase58(b);
      assertEquals(expected, Base58.encode(b), "seed " + seed + ", " + HexFormat.of().formatHex(b));
      if (!expected.isEmpty()) {
        assertEquals(HexFormat.of().formatHex(b), HexFormat.of().formatHex(Base58.decode(expected)), "seed " + seed);
      }
    }
  }
}

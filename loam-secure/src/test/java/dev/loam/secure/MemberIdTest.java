package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.internal.Base58;
import dev.loam.secure.InvalidMemberIdException.Problem;
import dev.loam.secure.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MemberIdTest {
  private static final Identity ALICE = Identity.generate(TestSeeds.random(1));
  private static final Identity BOB = Identity.generate(TestSeeds.random(2));

  @Test
  void base58EncodesTheBitcoinExamples() {
    assertEquals("", Base58.encode(new byte[0]));
    assertEquals("1", Base58.encode(new byte[1]));
    assertEquals("2NEpo7TZRRrLZSi2U", Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("11233QC4", Base58.encode(HexFormat.of().parseHex("0000287fb4cd")));
    assertArrayEquals(HexFormat.of().parseHex("0000287fb4cd"), Base58.decode("11233QC4"));
    assertNull(Base58.decode("0OIl"));
    assertEquals(0, Base58.firstInvalid("0OIl"));
    assertEquals(-1, Base58.firstInvalid("11233QC4"));
  }

  @Test
  void base58RoundTripsEveryLengthAndLeadingZeros() {
    var random = TestSeeds.random(3);
    for (int n = 0; n < 80; n++) {
      byte[] data = new byte[n];
      random.nextBytes(data);
      if (n > 2) {
        data[0] = 0;
        data[1] = 0;
      }
      assertArrayEquals(data, Base58.decode(Base58.encode(data)), "length " + n);
    }
  }

  @Test
  void itsTextHoldsThePublicKeysAndAChecksumInBase58() {
    MemberId id = ALICE.memberId();
    byte[] whole = Base58.decode(id.toString().substring("loam1".length()));
    byte[] keys = new byte[64];
    System.arraycopy(ALICE.signingKey().publicKey().toBytes(), 0, keys, 0, 32);
    System.arraycopy(ALICE.encryptionKey().publicKey().toBytes(), 0, keys, 32, 32);
    assertArrayEquals(keys, Arrays.copyOf(whole, 64));
    assertArrayEquals(Arrays.copyOf(Digests.sha256(keys), 4), Arrays.copyOfRange(whole, 64, 68));
    assertEquals(68, whole.length);
  }

  @Test
  void parseGivesBackAnEqualIdWithTheSameKeys() {
    MemberId id = ALICE.memberId();
    MemberId parsed = MemberId.parse(id.toString());
    assertEquals(id, parsed);
    assertEquals(id.hashCode(), parsed.hashCode());
    assertEquals(id.toString(), parsed.toString());
    assertEquals(ALICE.signingKey().publicKey(), parsed.signingKey());
    assertEquals(ALICE.encryptionKey().publicKey(), parsed.encryptionKey());
    assertNotEquals(id, BOB.memberId());
    assertNotEquals(id.toString(), BOB.memberId().toString());
  }

  @Test
  void neverStartsWithADashAndAlwaysParses() {
    TestSeeds.seeds().forEach(seed -> {
      String text = Identity.generate(TestSeeds.random(seed)).memberId().toString();
      assertTrue(text.startsWith("loam1") && !text.startsWith("-"), () -> "seed " + seed + ": " + text);
      assertEquals(text, MemberId.parse(text).toString(), () -> "seed " + seed);
    });
  }

  @Test
  void rejectsAWrongPrefix() {
    String text = ALICE.memberId().toString();
    for (String bad : new String[] {"", "loam", "Loam1" + text.substring(5), "-" + text, " " + text, text.substring(5)}) {
      assertEquals(Problem.PREFIX, assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(bad)).problem(), bad);
    }
  }

  @Test
  void rejectsACharacterOutsideBase58AndSaysWhere() {
    String text = ALICE.memberId().toString();
    for (char c : new char[] {'0', 'O', 'I', 'l', ' ', '-', '+', 'é', '\n'}) {
      String bad = text.substring(0, 10) + c + text.substring(11);
      var e = assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(bad));
      assertEquals(Problem.CHARACTER, e.problem(), bad);
      assertTrue(e.getMessage().contains("position 11"), e.getMessage());
    }
    assertEquals(Problem.CHARACTER,
        assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(text + " ")).problem());
  }

  @Test
  void rejectsTheWrongNumberOfBytes() {
    for (int n : new int[] {0, 1, 4, 67, 69, 100}) {
      String bad = "loam1" + Base58.encode(new byte[n]);
      assertEquals(Problem.LENGTH, assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(bad)).problem(), "n=" + n);
    }
    String text = ALICE.memberId().toString();
    var e = assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(text.substring(0, text.length() - 8)));
    assertEquals(Problem.LENGTH, e.problem());
    assertTrue(e.getMessage().contains("cut short"), e.getMessage());
  }

  @Test
  void rejectsAWellFormedIdWhoseSigningKeyIsNoCurvePoint() {
    byte[] keys = Arrays.copyOf(Base58.decode(ALICE.memberId().toString().substring("loam1".length())), 64);
    Arrays.fill(keys, 0, 32, (byte) 0);
    keys[0] = 2; // y = 2: no point of edwards25519 has it (RFC 8032 section 5.1.3)
    byte[] whole = Arrays.copyOf(keys, 68);
    System.arraycopy(Digests.sha256(keys), 0, whole, 64, 4);
    String text = "loam1" + Base58.encode(whole);
    assertEquals(Problem.KEY, assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(text)).problem());
  }

  @Test
  void rejectsEveryOneCharacterTypo() {
    String text = ALICE.memberId().toString();
    for (int i = 5; i < text.length(); i++) {
      char other = text.charAt(i) == 'z' ? 'y' : 'z';
      String bad = text.substring(0, i) + other + text.substring(i + 1);
      var e = assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(bad), bad);
      assertTrue(e.problem() == Problem.CHECKSUM || e.problem() == Problem.LENGTH, bad + ": " + e.problem());
    }
    String swapped = text.substring(0, text.length() - 3) + "z" + text.substring(text.length() - 2);
    if (!swapped.equals(text)) {
      assertEquals(Problem.CHECKSUM, assertThrows(InvalidMemberIdException.class, () -> MemberId.parse(swapped)).problem());
    }
  }

  @Test
  void equalsOnlyAnotherMemberId() {
    MemberId id = ALICE.memberId();
    assertFalse(id.equals(id.toString()));
    assertEquals(id, MemberId.of(ALICE.signingKey().publicKey(), ALICE.encryptionKey().publicKey()));
  }
}

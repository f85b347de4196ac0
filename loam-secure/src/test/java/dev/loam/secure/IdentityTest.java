package dev.loam.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loam.repo.internal.Base58;
import dev.loam.secure.IdentityFileException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
  private static final int LOW = 1_000;
  private static final Identity ALICE = Identity.generate(TestSeeds.random(7));

  @TempDir Path dir;

  private static Optional<char[]> pass(String s) {
    return Optional.of(s.toCharArray());
  }

  private static void assertSame(Identity expected, Identity actual) {
    assertEquals(expected.memberId(), actual.memberId());
    assertArrayEquals(expected.signingKey().toSeed(), actual.signingKey().toSeed());
    assertArrayEquals(expected.encryptionKey().toBytes(), actual.encryptionKey().toBytes());
  }

  @Test
  void aPlainFileHoldsTheDocumentedBytesAndLoadsBack() throws IOException {
    Path file = dir.resolve("alice.id");
    ALICE.save(file, Optional.empty());
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(70, bytes.length);
    assertEquals("4c4d49440100", HexFormat.of().formatHex(bytes, 0, 6));
    assertArrayEquals(ALICE.signingKey().toSeed(), Arrays.copyOfRange(bytes, 6, 38));
    assertArrayEquals(ALICE.encryptionKey().toBytes(), Arrays.copyOfRange(bytes, 38, 70));
    AtomicInteger asked = new AtomicInteger();
    assertSame(ALICE, Identity.load(file, () -> {
      asked.incrementAndGet();
      return pass("unused");
    }));
    assertEquals(0, asked.get(), "a plain file never asks for a passphrase");
    assertSame(ALICE, Identity.load(file));
  }

  @Test
  void aSealedFileLoadsBackWithItsPassphraseOnly() throws IOException {
    Path file = dir.resolve("alice.id");
    ALICE.save(file, pass("correct horse"), LOW);
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(118, bytes.length);
    assertEquals("4c4d49440101", HexFormat.of().formatHex(bytes, 0, 6));
    assertEquals(LOW, ByteBuffer.wrap(bytes, 22, 4).getInt());
    String hex = HexFormat.of().formatHex(bytes);
    assertFalse(hex.contains(HexFormat.of().formatHex(ALICE.signingKey().toSeed())), "no seed in clear");
    assertFalse(hex.contains(HexFormat.of().formatHex(ALICE.encryptionKey().toBytes())), "no scalar in clear");
    assertSame(ALICE, Identity.load(file, () -> pass("correct horse")));

    var wrong = assertThrows(IdentityFileException.class, () -> Identity.load(file, () -> pass("correct horsf")));
    assertEquals(Problem.WRONG_PASSPHRASE_OR_DAMAGED, wrong.problem());
    assertTrue(wrong.getMessage().contains("wrong passphrase or damaged identity file"), wrong.getMessage());

    var none = assertThrows(IdentityFileException.class, () -> Identity.load(file));
    assertEquals(Problem.PASSPHRASE_NEEDED, none.problem());
    assertTrue(none.getMessage().contains("sealed with a passphrase"), none.getMessage());
  }

  @Test
  void sealingUsesSixHundredThousandIterationsByDefault() throws IOException {
    Path file = dir.resolve("alice.id");
    ALICE.save(file, pass("p"));
    assertEquals(600_000, ByteBuffer.wrap(Files.readAllBytes(file), 22, 4).getInt());
  }

  @Test
  void twoSealsOfTheSameIdentityDiffer() throws IOException {
    ALICE.save(dir.resolve("a"), pass("p"), LOW);
    ALICE.save(dir.resolve("b"), pass("p"), LOW);
    assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b"))), "fresh salt and nonce");
  }

  @Test
  void theFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    for (Optional<char[]> passphrase : java.util.List.of(Optional.<char[]>empty(), pass("p"))) {
      Path file = dir.resolve("id-" + passphrase.isPresent());
      ALICE.save(file, passphrase, LOW);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws IOException {
    Path file = Files.writeString(dir.resolve("alice.id"), "precious");
    for (Optional<char[]> passphrase : java.util.List.of(Optional.<char[]>empty(), pass("p"))) {
      var e = assertThrows(IdentityFileException.class, () -> ALICE.save(file, passphrase, LOW));
      assertEquals(Problem.EXISTS, e.problem());
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      assertEquals("precious", Files.readString(file));
    }
  }

  @Test
  void everyChangedByteOfASealedFileFailsTyped() throws IOException {
    Path file = dir.resolve("alice.id");
    ALICE.save(file, pass("p"), LOW);
    byte[] good = Files.readAllBytes(file);
    for (int i = 0; i < good.length; i++) {
      for (int flip : new int[] {0x01, 0x80}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) flip;
        Path copy = Files.write(dir.resolve("bad-" + i + "-" + flip), bad);
        int at = i;
        var e = assertThrows(IdentityFileException.class, () -> Identity.load(copy, () -> pass("p")), () -> "byte " + at);
        assertTrue(e.problem() == Problem.WRONG_PASSPHRASE_OR_DAMAGED || e.problem() == Problem.NOT_AN_IDENTITY_FILE,
            "byte " + i + ": " + e.problem());
        if (i >= 6) {
          assertEquals(Problem.WRONG_PASSPHRASE_OR_DAMAGED, e.problem(), "byte " + i);
        }
      }
    }
  }

  @Test
  void aTruncatedOrExtendedFileFailsTyped() throws IOException {
    for (Optional<char[]> passphrase : java.util.List.of(Optional.<char[]>empty(), pass("p"))) {
      Path file = dir.resolve("id-" + passphrase.isPresent());
      ALICE.save(file, passphrase, LOW);
      byte[] good = Files.readAllBytes(file);
      for (int n = 0; n <= good.length + 1; n++) {
        if (n == good.length) {
          continue;
        }
        byte[] bad = Arrays.copyOf(good, n);
        Path copy = Files.write(dir.resolve("cut-" + passphrase.isPresent() + "-" + n), bad);
        var e = assertThrows(IdentityFileException.class, () -> Identity.load(copy, () -> pass("p")), "length " + n);
        assertEquals(Problem.NOT_AN_IDENTITY_FILE, e.problem(), "length " + n);
      }
    }
  }

  @Test
  void anUnknownVersionOrMagicIsNotAnIdentityFile() throws IOException {
    Path file = dir.resolve("alice.id");
    ALICE.save(file, Optional.empty());
    byte[] good = Files.readAllBytes(file);
    byte[] v2 = good.clone();
    v2[4] = 2;
    var e = assertThrows(IdentityFileException.class, () -> Identity.load(Files.write(dir.resolve("v2"), v2)));
    assertEquals(Problem.NOT_AN_IDENTITY_FILE, e.problem());
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertEquals(Problem.NOT_AN_IDENTITY_FILE,
        assertThrows(IdentityFileException.class, () -> Identity.load(Files.write(dir.resolve("m"), magic))).problem());
  }

  @Test
  void aMissingFolderFailsTypedAndCreatesNothing() {
    var e = assertThrows(IdentityFileException.class, () -> ALICE.save(dir.resolve("no/such/me.id"), Optional.empty()));
    assertEquals(Problem.IO, e.problem());
    assertTrue(e.getMessage().contains("folder does not exist"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("no")));
  }

  @Test
  void aMissingFileSaysSo() {
    var e = assertThrows(IdentityFileException.class, () -> Identity.load(dir.resolve("nobody.id")));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().contains("nobody.id"), e.getMessage());
  }

  @Test
  void toStringShowsTheMemberIdAndNoSecret() {
    String s = ALICE.toString();
    assertEquals("Identity[" + ALICE.memberId() + "]", s);
    for (byte[] secret : new byte[][] {ALICE.signingKey().toSeed(), ALICE.encryptionKey().toBytes()}) {
      assertFalse(s.contains(HexFormat.of().formatHex(secret)));
      assertFalse(s.contains(Base58.encode(secret)));
    }
  }

  @Test
  void generateGivesADifferentIdentityEachTime() {
    assertFalse(Identity.generate().memberId().equals(Identity.generate().memberId()));
  }
}

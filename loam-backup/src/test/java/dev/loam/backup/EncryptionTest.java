package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encrypted archive hides its contents, opens only with its passphrase, tells a wrong
 * passphrase from damage, and is checked and restored like a plain one.
 */
class EncryptionTest {
  static final Passphrase RIGHT = Passphrase.of("correct horse battery staple");
  static final Passphrase WRONG = Passphrase.of("correct horse battery stapler");
  @TempDir static Path dir;
  static Path archive;
  static DocumentId id;
  static String json;

  @BeforeAll
  static void encryptedArchive() {
    archive = dir.resolve("secret.loambak");
    try (Repo source = Fixtures.repo(new InMemoryStorageAdapter())) {
      DocHandle h = source.create();
      Fixtures.put(h, "motto", "a plaintext marker that must not appear in the file");
      id = h.documentId();
      json = h.toJson();
      Backup.create(BackupSource.of(source), archive, CreateOptions.full().withPassphrase(RIGHT));
    }
  }

  @Test
  void theFileHoldsNoPlaintextAndRestoresWithItsPassphrase() throws IOException {
    String raw = new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1);
    assertFalse(raw.contains("plaintext marker"));
    assertFalse(raw.contains("motto"));
    ArchiveInfo info = Backup.list(archive, Optional.of(RIGHT));
    assertTrue(info.encrypted());
    assertEquals(id, info.entries().get(0).document());
    InMemoryStorageAdapter target = new InMemoryStorageAdapter();
    Backup.restore(List.of(archive), target, RestoreOptions.merge().withPassphrase(RIGHT));
    try (Repo r = Fixtures.repo(target)) {
      assertEquals(json, r.find(id).whenReady().join().toJson());
    }
  }

  @Test
  void aWrongPassphraseIsATypedErrorNotCorruption() {
    WrongPassphraseException e = assertThrows(WrongPassphraseException.class, () -> Backup.list(archive, Optional.of(WRONG)));
    assertFalse(e.passphraseMissing());
    WrongPassphraseException none = assertThrows(WrongPassphraseException.class,
        () -> Backup.restore(List.of(archive), new InMemoryStorageAdapter(), RestoreOptions.merge()));
    assertTrue(none.passphraseMissing());
    VerifyReport r = Backup.verify(List.of(archive), Optional.of(WRONG));
    assertEquals(Set.of(Fault.Check.PASSPHRASE), r.faults().stream().map(Fault::check).collect(Collectors.toSet()));
  }

  @Test
  void damageToAnEncryptedArchiveIsReportedAsDamageWhateverThePassphrase() throws IOException {
    byte[] bytes = Files.readAllBytes(archive);
    Path p = dir.resolve("damaged-secret.loambak");
    // a byte of the key check (header offset 32..63), of an entry, and of the manifest
    for (int offset : new int[] {40, 64 + 20, bytes.length - 60}) {
      byte[] damaged = bytes.clone();
      damaged[offset] ^= 0x04;
      Files.write(p, damaged);
      for (Optional<Passphrase> pass : List.of(Optional.of(RIGHT), Optional.of(WRONG), Optional.<Passphrase>empty())) {
        VerifyReport r = Backup.verify(List.of(p), pass);
        Set<Fault.Check> checks = r.faults().stream().map(Fault::check).collect(Collectors.toSet());
        assertTrue(checks.contains(Fault.Check.FILE_CHECKSUM), "offset " + offset + ": " + checks);
        assertFalse(checks.contains(Fault.Check.PASSPHRASE), "offset " + offset + ": " + checks);
      }
      assertThrows(BackupCorruptException.class, () -> Backup.list(p, Optional.of(WRONG)));
    }
  }

  @Test
  void anEncryptedFrameWhoseFileChecksumIsMadeRightStillFailsItsTag() throws IOException {
    ArchiveSurgery a = ArchiveSurgery.parse(Files.readAllBytes(archive));
    byte[] payload = a.frames.get(0).payload().clone();
    payload[3] ^= 0x01;
    a.frames.set(0, new ArchiveSurgery.Frame(1, payload));
    Path p = dir.resolve("retagged.loambak");
    Files.write(p, a.build());
    VerifyReport r = Backup.verify(List.of(p), Optional.of(RIGHT));
    Set<Fault.Check> checks = r.faults().stream().map(Fault::check).collect(Collectors.toSet());
    assertEquals(Set.of(Fault.Check.DECRYPTION, Fault.Check.MISSING_ENTRY), checks);
  }

  @Test
  void fewerThanTheMinimumIterationsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CreateOptions.full().withKdfIterations(100_000));
  }
}

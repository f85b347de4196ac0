package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.ObjId;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.secure.Identity;
import dev.loam.secure.SecureDocument;
import dev.loam.secure.SecureRepo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure documents are backed up as the signed items a server holds, checked without any key,
 * and restored so that a member opens the same content; the archive reveals no plaintext.
 */
class SecureBackupTest {
  @TempDir Path dir;
  final Identity alice = Identity.generate(new SecureRandom());

  private static void write(SecureDocument d, String key, String value) {
    d.document().put(ObjId.ROOT, key, value);
    d.document().commit();
  }

  @Test
  void aSecureDocumentRoundTripsThroughAFullAndAnIncrementalBackup() throws IOException {
    InMemoryStorageAdapter storage = new InMemoryStorageAdapter();
    Path full = dir.resolve("full.loambak");
    Path incr = dir.resolve("incr.loambak");
    DocumentId id;
    String plainMarker = "members-only plaintext";
    try (Repo repo = Fixtures.repo(storage)) {
      SecureRepo secure = SecureRepo.of(repo, alice);
      SecureDocument d = secure.create();
      id = d.id();
      write(d, "secret", plainMarker);
      secure.save(d);
      Fixtures.put(repo.create(), "plain", "beside it");
      Backup.create(BackupSource.of(repo), full, CreateOptions.full());
      write(d, "later", "second envelope");
      secure.save(d);
      BackupSummary s = Backup.create(BackupSource.of(repo), incr, CreateOptions.full().withSince(List.of(full)));
      assertEquals(1, s.incremental());
      assertEquals(1, s.unchanged());
      assertEquals(1, s.secure());
    }
    assertFalse(new String(Files.readAllBytes(full), StandardCharsets.ISO_8859_1).contains(plainMarker));
    VerifyReport report = Backup.verify(List.of(full, incr), Optional.empty());
    assertTrue(report.ok(), report.faults().toString());
    ArchiveEntry entry = Backup.list(incr, Optional.empty()).entries().stream().filter(ArchiveEntry::secure).findFirst().orElseThrow();
    assertEquals("loam-secure:" + id, entry.url());
    assertEquals(ArchiveEntry.Kind.INCREMENTAL, entry.kind());

    InMemoryStorageAdapter target = new InMemoryStorageAdapter();
    Backup.restore(List.of(full, incr), target, RestoreOptions.merge());
    SecureDocument opened = SecureRepo.of(target, alice).open(id).orElseThrow();
    assertEquals("{\"later\":\"second envelope\",\"secret\":\"" + plainMarker + "\"}", opened.document().toJson());
    assertEquals(storage.loadRange(StorageKey.of("loam-secure", id.toString(), "seq")).stream().map(c -> c.data().hex()).toList(),
        target.loadRange(StorageKey.of("loam-secure", id.toString(), "seq")).stream().map(c -> c.data().hex()).toList());
    assertEquals(0, Backup.restore(List.of(full, incr), target, RestoreOptions.merge()).written(), "restoring twice");
  }

  @Test
  void aForgedItemIsFoundByItsSignatureWithoutAnyKey() throws IOException {
    Path full = dir.resolve("forged.loambak");
    try (Repo repo = Fixtures.repo(new InMemoryStorageAdapter())) {
      SecureRepo secure = SecureRepo.of(repo, alice);
      SecureDocument d = secure.create();
      write(d, "secret", "x");
      secure.save(d);
      Backup.create(BackupSource.of(repo), full, CreateOptions.full());
    }
    ArchiveSurgery a = ArchiveSurgery.parse(Files.readAllBytes(full));
    byte[] payload = a.frames.get(0).payload();
    byte[] data = java.util.Arrays.copyOfRange(payload, a.dataStart(0), payload.length);
    // the last byte of the first item (inside its signature); the manifest is made to agree
    data[4 + ByteBuffer.wrap(data).getInt(0) - 1] ^= 0x01;
    a.replaceFirstEntryData(data);
    Path forged = dir.resolve("forged2.loambak");
    Files.write(forged, a.build());
    VerifyReport r = Backup.verify(List.of(forged), Optional.empty());
    assertEquals(Set.of(Fault.Check.SECURE_ITEMS), r.faults().stream().map(Fault::check).collect(Collectors.toSet()), r.faults().toString());
  }
}

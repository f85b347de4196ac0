package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Heads;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.FileSystemStorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import dev.loam.repo.storage.SqliteStorageAdapter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full backup restores every document with the same heads and contents, into every storage kind. */
class BackupRoundTripTest {
  @TempDir Path dir;

  @Test
  void fullBackupRestoresEveryDocumentWithItsHeadsIntoEveryStorageKind() throws java.io.IOException {
    Map<DocumentId, Heads> heads = new HashMap<>();
    Map<DocumentId, String> json = new HashMap<>();
    Path archive = dir.resolve("full.loambak");
    try (Repo source = Fixtures.repo(SqliteStorageAdapter.open(dir.resolve("source.db")))) {
      for (int i = 0; i < 20; i++) {
        DocHandle h = source.create();
        for (int j = 0; j <= i % 4; j++) {
          Fixtures.put(h, "k" + j, "v" + i + "-" + j);
        }
        heads.put(h.documentId(), h.heads());
        json.put(h.documentId(), h.toJson());
      }
      BackupSummary s = Backup.create(BackupSource.of(source), archive, CreateOptions.full());
      assertEquals(20, s.documents());
      assertEquals(20, s.full());
    }
    VerifyReport report = Backup.verify(List.of(archive), Optional.empty());
    assertTrue(report.ok(), () -> report.faults().toString());
    ArchiveInfo info = Backup.list(archive, Optional.empty());
    assertEquals(20, info.entries().size());
    for (ArchiveEntry e : info.entries()) {
      assertEquals("automerge:" + e.document(), e.url());
      assertEquals(heads.get(e.document()).hashes().stream().map(h -> h.hex()).toList(),
          e.heads().stream().map(b -> b.hex()).toList());
    }
    List<Function<Path, StorageAdapter>> kinds = List.of(
        p -> new InMemoryStorageAdapter(),
        p -> FileSystemStorageAdapter.open(p.resolve("fs")),
        p -> SqliteStorageAdapter.open(p.resolve("target.db")));
    int k = 0;
    for (Function<Path, StorageAdapter> kind : kinds) {
      Path targetDir = dir.resolve("t" + k++);
      java.nio.file.Files.createDirectories(targetDir);
      StorageAdapter target = kind.apply(targetDir);
      RestoreSummary r = Backup.restore(List.of(archive), target, RestoreOptions.merge());
      assertEquals(20, r.written());
      // the restored storage backs up again, read straight from the adapter, to the same heads
      Path again = targetDir.resolve("again.loambak");
      Backup.create(BackupSource.of(target), again, CreateOptions.full());
      for (ArchiveEntry e : Backup.list(again, Optional.empty()).entries()) {
        assertEquals(heads.get(e.document()).hashes().stream().map(h -> h.hex()).toList(),
            e.heads().stream().map(b -> b.hex()).toList(), "document " + e.document() + " from " + target);
      }
      try (Repo restored = Fixtures.repo(target)) {
        for (DocumentId id : heads.keySet()) {
          DocHandle h = restored.find(id).whenReady().join();
          assertEquals(heads.get(id), h.heads(), "document " + id);
          assertEquals(json.get(id), h.toJson(), "document " + id);
        }
      }
    }
  }
}

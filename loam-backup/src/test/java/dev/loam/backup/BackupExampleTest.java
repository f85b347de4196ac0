package dev.loam.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Heads;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of package {@code dev.loam.backup}'s Javadoc: back up a repo, check the file, restore it. */
class BackupExampleTest {
  @TempDir Path dir;

  @Test
  void aBackupVerifiesAndRestoresIntoAnEmptyStorageWithTheSameHeads() {
    try (Repo repo = Repo.builder().storage(new InMemoryStorageAdapter()).build()) {
      DocHandle notes = repo.create();
      notes.change(tx -> tx.put(ObjId.ROOT, "note", ScalarValue.of("buy milk")));
      notes.change(tx -> tx.put(ObjId.ROOT, "done", ScalarValue.of(false)));
      DocHandle todo = repo.create();
      todo.change(tx -> tx.put(ObjId.ROOT, "title", ScalarValue.of("groceries")));
      Heads notesHeads = notes.heads();
      Heads todoHeads = todo.heads();
      Path file = dir.resolve("monday.loambak");
      StorageAdapter empty = new InMemoryStorageAdapter();

      // @start region="example"
      BackupSummary created = Backup.create(BackupSource.of(repo), file, CreateOptions.full()); // online: the repo keeps running
      VerifyReport report = Backup.verify(List.of(file), Optional.empty());  // every checksum, every document loads
      if (!report.ok()) {
        throw new IllegalStateException("damaged backup: " + report.faults());
      }
      RestoreSummary restored = Backup.restore(List.of(file), empty, RestoreOptions.merge());
      // @end
      assertEquals(2, created.documents());
      assertTrue(report.ok(), () -> report.faults().toString());
      assertEquals(2, report.documents());
      assertEquals(2, restored.written());
      try (Repo back = Repo.builder().storage(empty).build()) {
        DocHandle n = back.find(notes.documentId()).whenReady().join();
        DocHandle t = back.find(todo.documentId()).whenReady().join();
        assertEquals(notesHeads, n.heads());
        assertEquals(todoHeads, t.heads());
        assertEquals("{\"done\":false,\"note\":\"buy milk\"}", n.toJson());
        assertEquals("{\"title\":\"groceries\"}", t.toJson());
      }
    }
  }
}

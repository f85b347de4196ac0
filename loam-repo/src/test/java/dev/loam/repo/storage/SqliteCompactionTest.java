package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Document;
import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.internal.StorageSubsystem;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compaction on SQLite (the new snapshot stored, the chunks it replaces removed) is one
 * transaction: one commit however many chunks it removes, and when that commit fails none of it
 * remains and the next save compacts again with nothing lost.
 */
class SqliteCompactionTest {
  @TempDir
  Path dir;

  private final DocumentId id = DocumentId.random(new Random(7));

  private static void edit(Document doc, int i) {
    doc.put(ObjId.ROOT, "k" + (i % 4), ScalarValue.of("value number " + i + " ".repeat(i % 50)));
    doc.commit();
  }

  private List<StorageKey> keys(SqliteStorageAdapter s, String type) {
    return s.keys(StorageKey.of(id.toString(), type));
  }

  /** A save's outcome: the incrementals stored before it, and the commits it took. */
  private record Save(int incrementalsBefore, long commits) {}

  /** Edits and saves until a save compacts (it leaves no incremental); returns that save. */
  private Save saveUntilCompacted(SqliteStorageAdapter s, StorageSubsystem storage, Document doc, int[] edits) {
    while (true) {
      edit(doc, edits[0]++);
      int before = keys(s, "incremental").size();
      long commits = s.commits();
      storage.saveDoc(id, doc);
      if (before > 0 && keys(s, "incremental").isEmpty()) {
        return new Save(before, s.commits() - commits);
      }
      assertTrue(edits[0] < 5000, "compaction happens");
    }
  }

  @Test
  void aCompactionRemovingManyChunksIsOneCommit() {
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(dir.resolve("c.db"))) {
      StorageSubsystem storage = new StorageSubsystem(s);
      Document doc = Document.create();
      int[] edits = {0};
      storage.saveDoc(id, doc);
      saveUntilCompacted(s, storage, doc, edits);
      Save compaction = saveUntilCompacted(s, storage, doc, edits);
      assertTrue(compaction.incrementalsBefore() >= 5, "it replaced several incrementals: " + compaction.incrementalsBefore());
      assertEquals(1, compaction.commits(), "the snapshot and the removals in one commit");
      assertEquals(1, keys(s, "snapshot").size(), "the old snapshot is gone");
      assertEquals(doc.heads(), new StorageSubsystem(s).loadDoc(id).orElseThrow().heads());
    }
  }

  @Test
  void aCompactionWhoseCommitFailsLeavesEveryChunkAndTheNextSaveCompacts() {
    Path file = dir.resolve("f.db");
    Document doc = Document.create();
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      StorageSubsystem storage = new StorageSubsystem(s);
      int[] edits = {0};
      storage.saveDoc(id, doc);
      saveUntilCompacted(s, storage, doc, edits);
      boolean[] failing = {true};
      s.hook(new GroupCommit.Hook() {
        @Override
        public void beforeCommit(int writes) throws SQLException {
          if (writes == -1 && failing[0]) { // an atomically body: the compaction
            failing[0] = false;
            throw new SQLException("the disk is full (test)");
          }
        }
      });
      List<StorageKey> snapshots;
      List<StorageKey> incrementals;
      while (true) {
        edit(doc, edits[0]++);
        snapshots = keys(s, "snapshot");
        incrementals = keys(s, "incremental");
        try {
          storage.saveDoc(id, doc);
        } catch (StorageException e) {
          break;
        }
        assertTrue(edits[0] < 5000, "a compaction is attempted");
      }
      assertEquals(snapshots, keys(s, "snapshot"), "the failed compaction's snapshot is rolled back");
      assertEquals(incrementals, keys(s, "incremental"), "no chunk was removed");
      storage.saveDoc(id, doc);
      assertEquals(1, keys(s, "snapshot").size(), "the next save compacts");
      assertEquals(List.of(), keys(s, "incremental"));
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      Document loaded = new StorageSubsystem(reopened).loadDoc(id).orElseThrow();
      assertEquals(doc.heads(), loaded.heads(), "nothing lost");
      assertEquals(doc.toJson(), loaded.toJson());
    }
  }
}

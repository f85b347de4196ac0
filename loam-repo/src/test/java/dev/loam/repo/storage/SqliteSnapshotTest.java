package dev.loam.repo.storage;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageException;
import dev.loam.repo.spi.StorageKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A read-only SQLite snapshot sees the database as of its opening while a writer keeps going. */
class SqliteSnapshotTest {
  private static final StorageKey A = StorageKey.of("doc", "snapshot", "a");
  private static final StorageKey B = StorageKey.of("doc", "snapshot", "b");
  private static final StorageKey OTHER = StorageKey.of("other", "incremental", "c");

  @TempDir Path dir;

  @Test
  void aSnapshotSeesTheDatabaseAsItWasWhenOpenedWhileTheWriterIsNotHeldBack() {
    Path file = dir.resolve("loam.db");
    try (SqliteStorageAdapter writer = SqliteStorageAdapter.open(file)) {
      writer.save(A, bytes(1));
      writer.save(OTHER, bytes(9));
      try (SqliteSnapshot snapshot = SqliteSnapshot.open(file)) {
        // a compaction: the new snapshot first, then the replaced one goes; and another document changes
        writer.save(B, bytes(2));
        writer.remove(A);
        writer.removeRange(StorageKey.of("other"));
        assertEquals(List.of(new Chunk(A, bytes(1))), snapshot.loadRange(StorageKey.of("doc")));
        assertEquals(Optional.of(bytes(9)), snapshot.load(OTHER));
        assertEquals(2, snapshot.loadRange(StorageKey.EMPTY).size());
        assertEquals(List.of(new Chunk(B, bytes(2))), writer.loadRange(StorageKey.of("doc")));
      }
      try (SqliteSnapshot later = SqliteSnapshot.open(file)) {
        assertEquals(List.of(new Chunk(B, bytes(2))), later.loadRange(StorageKey.EMPTY));
      }
    }
  }

  @Test
  void aSnapshotIsReadOnlyAndNeverCreatesADatabase() {
    Path missing = dir.resolve("none.db");
    assertThrows(StorageException.class, () -> SqliteSnapshot.open(missing));
    assertFalse(Files.exists(missing));
    Path file = dir.resolve("loam.db");
    SqliteStorageAdapter.open(file).close();
    try (SqliteSnapshot snapshot = SqliteSnapshot.open(file)) {
      assertThrows(UnsupportedOperationException.class, () -> snapshot.save(A, bytes(1)));
      assertThrows(UnsupportedOperationException.class, () -> snapshot.remove(A));
      assertThrows(UnsupportedOperationException.class, () -> snapshot.removeRange(StorageKey.EMPTY));
      assertEquals(List.of(), snapshot.loadRange(StorageKey.EMPTY));
    }
  }

  private static Bytes bytes(int b) {
    return Bytes.wrap(new byte[] {(byte) b});
  }
}

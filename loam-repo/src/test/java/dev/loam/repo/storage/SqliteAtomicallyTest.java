package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loam.Bytes;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteStorageAdapter#atomically}: all of a body's writes, or none of them. */
class SqliteAtomicallyTest {
  @TempDir
  Path dir;

  private static final StorageKey A = StorageKey.of("doc", "a");
  private static final StorageKey B = StorageKey.of("doc", "b");
  private static final StorageKey OLD = StorageKey.of("doc", "old");

  @Test
  void aBodyThatThrowsLeavesNoneOfItsWritesAndTheOldValuesStand() {
    Path file = dir.resolve("s.db");
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.save(OLD, Bytes.of(new byte[] {1}));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.atomically(t -> {
        t.save(A, Bytes.of(new byte[] {2}));
        t.remove(OLD);
        assertEquals(Optional.of(Bytes.of(new byte[] {2})), t.load(A), "the body reads its own write");
        throw new IllegalStateException("stop");
      }));
      assertEquals("stop", e.getMessage());
      assertEquals(Optional.empty(), s.load(A));
      assertEquals(Optional.of(Bytes.of(new byte[] {1})), s.load(OLD));
      s.save(B, Bytes.of(new byte[] {3})); // back to one write at a time
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.of(Bytes.of(new byte[] {3})), reopened.load(B), "autocommit is back after the failed body");
      assertEquals(Optional.empty(), reopened.load(A));
    }
  }

  @Test
  void aBodyThatReturnsHasAllItsWritesDurable() {
    Path file = dir.resolve("s.db");
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(file)) {
      s.save(OLD, Bytes.of(new byte[] {1}));
      assertTrue(s.atomically(t -> {
        t.save(A, Bytes.of(new byte[] {2}));
        t.save(B, Bytes.of(new byte[] {3}));
        t.remove(OLD);
      }));
    }
    try (SqliteStorageAdapter reopened = SqliteStorageAdapter.open(file)) {
      assertEquals(Optional.of(Bytes.of(new byte[] {2})), reopened.load(A));
      assertEquals(Optional.of(Bytes.of(new byte[] {3})), reopened.load(B));
      assertEquals(Optional.empty(), reopened.load(OLD));
    }
  }

  @Test
  void anAdapterWithoutTransactionsRunsTheBodyAndSaysSo() {
    StorageAdapter memory = new InMemoryStorageAdapter();
    boolean atomic = memory.atomically(t -> t.save(A, Bytes.of(new byte[] {4})));
    assertEquals(false, atomic);
    assertEquals(Optional.of(Bytes.of(new byte[] {4})), memory.load(A));
  }
}

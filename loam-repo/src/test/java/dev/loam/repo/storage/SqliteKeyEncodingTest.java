package dev.loam.repo.storage;

import dev.loam.repo.spi.StorageKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqliteKeyEncodingTest {
  @Test
  void keysSurviveEncodingWithNulsAndEscapeBytes() {
    for (StorageKey k : new StorageKey[] {
        StorageKey.of("a"), StorageKey.of("a\0b", "\u0001", "\u0001\u0000"), StorageKey.of("päivää", "😀")}) {
      assertEquals(k, SqliteStorageAdapter.decode(SqliteStorageAdapter.encode(k)));
    }
  }

  @Test
  void keysListsTheKeysLoadRangeGivesWithoutTheirData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (SqliteStorageAdapter s = SqliteStorageAdapter.open(dir.resolve("keys.db"))) {
      java.util.List<StorageKey> saved = java.util.List.of(StorageKey.of("doc1", "snapshot", "h1"),
          StorageKey.of("doc1", "incremental", "h2"), StorageKey.of("doc10", "snapshot", "h3"), StorageKey.of("doc2", "sync-state", "p"));
      for (StorageKey k : saved) {
        s.save(k, dev.loam.Bytes.wrap(new byte[] {1, 2, 3}));
      }
      for (StorageKey prefix : new StorageKey[] {StorageKey.EMPTY, StorageKey.of("doc1"), StorageKey.of("doc1", "snapshot"), StorageKey.of("nope")}) {
        java.util.Set<StorageKey> expected = new java.util.HashSet<>();
        saved.stream().filter(k -> k.startsWith(prefix)).forEach(expected::add);
        assertEquals(expected, new java.util.HashSet<>(s.keys(prefix)), "keys under " + prefix);
        assertEquals(s.loadRange(prefix).size(), s.keys(prefix).size(), "as many as loadRange under " + prefix);
      }
    }
  }

  @Test
  void loneSurrogatesAreNotKeys() {
    assertThrows(IllegalArgumentException.class, () -> StorageKey.of("a\uD800"));
    assertThrows(IllegalArgumentException.class, () -> StorageKey.of(""));
  }
}

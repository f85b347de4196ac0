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
  void loneSurrogatesAreNotKeys() {
    assertThrows(IllegalArgumentException.class, () -> StorageKey.of("a\uD800"));
    assertThrows(IllegalArgumentException.class, () -> StorageKey.of(""));
  }
}

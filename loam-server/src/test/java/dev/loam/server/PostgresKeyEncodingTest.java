package dev.loam.server;

import dev.loam.repo.spi.StorageKey;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The keys already in PostgreSQL tables keep their bytes: the shared encoding without its final terminator. */
class PostgresKeyEncodingTest {
  @Test
  void storedKeysKeepTheFormTheTableHasAlwaysHeld() {
    StorageKey k = StorageKey.of("a\0b", "\u0001");
    assertEquals("61010162000102", HexFormat.of().formatHex(PostgresStorageAdapter.encode(k)));
    assertEquals(k, PostgresStorageAdapter.decode(HexFormat.of().parseHex("61010162000102")));
    assertEquals(StorageKey.of("x"), PostgresStorageAdapter.decode(PostgresStorageAdapter.encode(StorageKey.of("x"))));
  }
}

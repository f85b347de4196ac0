package dev.loam.repo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loam.Bytes;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of package {@code dev.loam.repo.storage}'s Javadoc: chunks in one SQLite file. */
class StorageExampleTest {
  @Test
  void chunksSurviveReopeningTheFile(@TempDir Path folder) {
    Path file = folder.resolve("repo.sqlite");
    // @start region="example"
    try (SqliteStorageAdapter storage = SqliteStorageAdapter.open(file)) {
      storage.save(StorageKey.of("doc1", "snapshot", "a1"), Bytes.of("first".getBytes(StandardCharsets.UTF_8)));
      storage.save(StorageKey.of("doc1", "incremental", "b2"), Bytes.of("second".getBytes(StandardCharsets.UTF_8)));
      storage.save(StorageKey.of("doc2", "snapshot", "c3"), Bytes.of("other".getBytes(StandardCharsets.UTF_8)));
    }                                                 // durable once save() returned
    try (SqliteStorageAdapter storage = SqliteStorageAdapter.open(file)) {
      List<Chunk> doc1 = storage.loadRange(StorageKey.of("doc1")); // by whole key components
      Optional<Bytes> one = storage.load(StorageKey.of("doc2", "snapshot", "c3"));
      // @end
      assertEquals(2, doc1.size());
      assertEquals(Optional.of(Bytes.of("other".getBytes(StandardCharsets.UTF_8))), one);
      assertEquals(List.of(), storage.loadRange(StorageKey.of("doc")), "a prefix matches whole components only");
    }
  }
}

package dev.loam.repo.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loam.Bytes;
import dev.loam.ObjId;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of package {@code dev.loam.repo.spi}'s Javadoc: a storage adapter of one's own. */
class SpiExampleTest {
  // @start region="example"
  /** Keeps chunks in a map (not durable: a real adapter writes before it returns). Thread-safe. */
  static final class MapStorage implements StorageAdapter {
    private final Map<StorageKey, Bytes> chunks = new HashMap<>();

    @Override public synchronized Optional<Bytes> load(StorageKey key) {
      return Optional.ofNullable(chunks.get(key));
    }

    @Override public synchronized void save(StorageKey key, Bytes data) {
      chunks.put(key, data);
    }

    @Override public synchronized void remove(StorageKey key) {
      chunks.remove(key);
    }

    @Override public synchronized List<Chunk> loadRange(StorageKey prefix) {
      List<Chunk> out = new ArrayList<>();
      chunks.forEach((key, data) -> {
        if (key.startsWith(prefix)) {
          out.add(new Chunk(key, data));
        }
      });
      return out;
    }

    @Override public synchronized void removeRange(StorageKey prefix) {
      chunks.keySet().removeIf(key -> key.startsWith(prefix));
    }
  }
  // @end

  @Test
  void aRepoKeepsItsDocumentsInTheAdapterItIsGiven() throws Exception {
    MapStorage storage = new MapStorage();
    DocumentId id;
    try (Repo repo = Repo.builder().storage(storage).build()) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "n", 1));
      id = handle.documentId();
    }
    assertFalse(storage.loadRange(StorageKey.of(id.toString())).isEmpty(), "chunks under the document's id");
    try (Repo repo = Repo.builder().storage(storage).build()) {
      assertEquals("{\"n\":1}", repo.find(id).whenReady().get(10, TimeUnit.SECONDS).toJson());
    }
  }
}

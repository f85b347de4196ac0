package dev.loam.backup;

import dev.loam.ObjId;
import dev.loam.ScalarValue;
import dev.loam.repo.DocHandle;
import dev.loam.repo.Repo;
import dev.loam.repo.id.DocumentId;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.StorageAdapter;
import dev.loam.repo.spi.StorageKey;
import java.util.Map;
import java.util.TreeMap;

/** Repos and documents for the backup tests. */
final class Fixtures {
  private Fixtures() {}

  static Repo repo(StorageAdapter storage) {
    return Repo.builder().storage(storage).build();
  }

  /** Puts {@code key = value} at the root of the document in one change. */
  static void put(DocHandle h, String key, String value) {
    h.change(tx -> tx.put(ObjId.ROOT, key, ScalarValue.of(value)));
  }

  /** Every key and value of {@code storage}, for comparing a storage before and after. */
  static Map<StorageKey, String> contents(StorageAdapter storage) {
    Map<StorageKey, String> all = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      all.put(c.key(), c.data().hex());
    }
    return all;
  }

  /** The document ids that have a plain document's chunks in {@code storage}. */
  static java.util.Set<DocumentId> plainIds(StorageAdapter storage) {
    java.util.Set<DocumentId> ids = new java.util.TreeSet<>();
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      if (c.key().size() == 3 && (c.key().get(1).equals("snapshot") || c.key().get(1).equals("incremental"))) {
        ids.add(DocumentId.parse(c.key().get(0)));
      }
    }
    return ids;
  }
}

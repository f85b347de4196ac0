package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.Repo;
import dev.loam.repo.spi.Chunk;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import dev.loam.server.StorageLockedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A repo on a local data folder for one CLI command: takes the folder's {@link DataFolderLock}
 * (so it never runs beside a {@code loam serve} on the same folder), opens its SQLite file
 * ({@code loam.db}, as {@code loam serve} does) and builds a {@link Repo} on it. Close saves
 * everything and releases the folder. Used by one thread.
 */
final class LocalRepo implements AutoCloseable {
  static final String DEFAULT_DATA = "./loam-data";

  private final DataFolderLock lock;
  private final SqliteStorageAdapter storage;
  private final Repo repo;

  private LocalRepo(DataFolderLock lock, SqliteStorageAdapter storage, Repo repo) {
    this.lock = lock;
    this.storage = storage;
    this.repo = repo;
  }

  /** Opens {@code data} for {@code purpose} (shown to a process that finds the folder taken), with {@code network} if given. */
  static LocalRepo open(Path data, String purpose, Optional<NetworkAdapter> network) {
    DataFolderLock lock;
    try {
      lock = DataFolderLock.acquire(data, purpose);
    } catch (StorageLockedException e) {
      throw new CliException(e.getMessage());
    }
    try {
      SqliteStorageAdapter storage = SqliteStorageAdapter.open(data.resolve("loam.db"));
      Repo.Builder b = Repo.builder().storage(storage)
          // nothing will come later from a peer that is not connected now: decide at once
          .unavailableTimeout(Duration.ZERO);
      network.ifPresent(b::network);
      return new LocalRepo(lock, storage, b.build());
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  Repo repo() {
    return repo;
  }

  /** The documents stored in the folder, whether or not this repo has opened them. */
  SortedSet<DocumentId> storedIds() {
    SortedSet<DocumentId> ids = new TreeSet<>(java.util.Comparator.comparing(DocumentId::toString));
    for (Chunk c : storage.loadRange(StorageKey.EMPTY)) {
      StorageKey k = c.key();
      if (k.size() >= 2 && (k.get(1).equals("snapshot") || k.get(1).equals("incremental"))) {
        DocumentId.tryParse(k.get(0)).ifPresent(ids::add);
      }
    }
    return ids;
  }

  /** The document named by {@code text} (an {@code automerge:} URL or a bare document id). */
  static DocumentId parseDocument(String text) {
    return dev.loam.repo.id.AutomergeUrl.tryParse(text).map(dev.loam.repo.id.AutomergeUrl::documentId)
        .or(() -> DocumentId.tryParse(text))
        .orElseThrow(() -> new CliException("not an automerge: URL or document id: " + text));
  }

  @Override
  public void close() {
    try {
      repo.close(); // saves, closes the storage
    } finally {
      lock.close();
    }
  }
}

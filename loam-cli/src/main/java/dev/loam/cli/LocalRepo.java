package dev.loam.cli;

import dev.loam.repo.id.DocumentId;
import dev.loam.repo.Repo;
import dev.loam.repo.RepoBuilder;
import dev.loam.repo.spi.NetworkAdapter;
import dev.loam.repo.spi.StorageKey;
import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.secure.SecureStore;
import dev.loam.server.DataFolderLock;
import dev.loam.server.StorageLockedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A repo on a local data folder for one CLI command: takes the folder's {@link DataFolderLock}
 * (so it never runs beside a {@code loam serve} on the same folder), opens its SQLite file
 * ({@code loam.db}, as {@code loam serve} does) and builds a {@link Repo} on it. Close saves
 * everything and releases the folder. Used by one thread.
 */
public final class LocalRepo implements AutoCloseable {
  /** The folder a command uses without {@code --data}. */
  public static final String DEFAULT_DATA = "./loam-data";
  /** The SQLite file in a repo folder, as {@code loam serve} names it. */
  static final String DB_FILE = "loam.db";

  private final DataFolderLock lock;
  private final SqliteStorageAdapter storage;
  private final Repo repo;
  private @Nullable SecureStore secure; // made on first use

  private LocalRepo(DataFolderLock lock, SqliteStorageAdapter storage, Repo repo) {
    this.lock = lock;
    this.storage = storage;
    this.repo = repo;
  }

  /** Whether a command may create the folder. */
  public enum Access {
    /** The folder must hold a repo already; nothing is created if it does not. */
    EXISTING,
    /** The folder and its database are created if missing (commands that write). */
    CREATE
  }

  /**
   * Opens {@code data} for {@code purpose} (shown to a process that finds the folder taken), with
   * {@code network} if given.
   *
   * @throws CliException if {@code access} is {@link Access#EXISTING} and the folder holds no repo
   */
  public static LocalRepo open(Path data, String purpose, Access access, Optional<NetworkAdapter> network) {
    if (access == Access.EXISTING) {
      requireRepo(data);
    }
    DataFolderLock lock;
    try {
      lock = DataFolderLock.acquire(data, purpose);
    } catch (StorageLockedException e) {
      throw new CliException(e.getMessage(), e);
    }
    try {
      SqliteStorageAdapter storage = SqliteStorageAdapter.open(data.resolve(DB_FILE));
      RepoBuilder b = Repo.builder().storage(storage)
          // nothing will come later from a peer that is not connected now: decide at once
          .unavailableTimeout(Duration.ZERO);
      network.ifPresent(b::network);
      return new LocalRepo(lock, storage, b.build());
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static void requireRepo(Path data) {
    Path abs = data.toAbsolutePath().normalize();
    if (!Files.isDirectory(data)) {
      throw new CliException("no repo folder " + abs + (Files.exists(data) ? " (it is a file)" : " (it does not exist)")
          + "; --data is relative to the current folder, and 'loam repo new' creates one");
    }
    if (!Files.isRegularFile(data.resolve(DB_FILE))) {
      throw new CliException("the folder " + abs + " holds no repo (no " + DB_FILE + "); 'loam repo new --data "
          + data + "' creates one");
    }
  }

  /** The repo on the folder. */
  public Repo repo() {
    return repo;
  }

  /** The folder's secure documents, keyless (kept beside the plain ones, under their own storage keys). */
  public SecureStore secure() {
    if (secure == null) {
      secure = SecureStore.on(repo.storageAdapter().orElseThrow()); // writes share the repo's write lock
    }
    return secure;
  }

  /** The documents stored in the folder, whether or not this repo has opened them. */
  public SortedSet<DocumentId> storedIds() {
    SortedSet<DocumentId> ids = new TreeSet<>(java.util.Comparator.comparing(DocumentId::toString));
    ids.addAll(storedChunkKeys().keySet());
    return ids;
  }

  /**
   * The names of every stored document's chunks (snapshots and incrementals, each name a hash of
   * what it holds), sorted and joined: a fingerprint of the document's storage that changes
   * whenever anything is saved to it. Reads the storage's key index, not the chunks.
   */
  public Map<DocumentId, String> storedChunkKeys() {
    Map<DocumentId, SortedSet<String>> keys = new HashMap<>();
    for (StorageKey k : storage.keys(StorageKey.EMPTY)) { // the names only: the chunks are not read
      if (k.size() >= 2 && (k.get(1).equals("snapshot") || k.get(1).equals("incremental"))) {
        DocumentId.tryParse(k.get(0)).ifPresent(id -> keys.computeIfAbsent(id, x -> new TreeSet<>()).add(k.toString()));
      }
    }
    Map<DocumentId, String> out = new HashMap<>();
    keys.forEach((id, names) -> out.put(id, String.join(" ", names)));
    return out;
  }

  /** The document named by {@code text} (an {@code automerge:} URL or a bare document id). */
  public static DocumentId parseDocument(String text) {
    return dev.loam.repo.id.AutomergeUrl.tryParse(text).map(dev.loam.repo.id.AutomergeUrl::documentId)
        .or(() -> DocumentId.tryParse(text))
        .orElseThrow(() -> new CliException(text.startsWith(dev.loam.secure.SecureUrl.PREFIX)
            ? "not a secure document URL (" + dev.loam.secure.SecureUrl.PREFIX + " and a document id): " + text
            : "not an automerge: URL or document id: " + text));
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

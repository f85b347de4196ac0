package dev.loam.backup;

import dev.loam.repo.Repo;
import dev.loam.repo.spi.StorageAdapter;

/**
 * Where a backup reads documents from: a running {@link Repo} (online, through its consistent
 * {@link Repo#backup} snapshot, which briefly holds back only the repo's own storage writes) or a
 * {@link StorageAdapter} that no repo in this process writes (another process may: see
 * {@link OfStorage}). Immutable.
 */
public sealed interface BackupSource {
  /** The repo's storage as {@link Repo#backup} hands it over: every document at one instant. */
  record OfRepo(Repo repo) implements BackupSource {}

  /**
   * The adapter's chunks as one {@code loadRange} of everything returns them. Consistency is the
   * adapter's: SQLite and PostgreSQL read them in one statement (one transaction's snapshot, while
   * a server in another process keeps writing); the file-system adapter reads file by file, and a
   * document compacted meanwhile is read at the heads its chunks that were read give (always a
   * loadable, causally complete state, because compaction writes before it removes). Each document
   * is captured at one set of heads in every case.
   */
  record OfStorage(StorageAdapter storage) implements BackupSource {}

  /** The documents of a running repo. */
  static BackupSource of(Repo repo) {
    return new OfRepo(repo);
  }

  /** The documents of a storage adapter (which the caller keeps open during the backup and closes). */
  static BackupSource of(StorageAdapter storage) {
    return new OfStorage(storage);
  }
}

/**
 * Storage adapters. Start with {@link dev.loam.repo.storage.SqliteStorageAdapter#open} (one file,
 * the embedded default), {@link dev.loam.repo.storage.FileSystemStorageAdapter#open} (a folder in
 * automerge-repo's node-fs layout) or {@link dev.loam.repo.storage.InMemoryStorageAdapter} (tests),
 * and give it to {@link dev.loam.repo.RepoBuilder#storage}.
 *
 * <p>Chunks in one SQLite file, read back after reopening it:
 * {@snippet class=dev.loam.repo.storage.StorageExampleTest region=example}
 */
@NullMarked
package dev.loam.repo.storage;

import org.jspecify.annotations.NullMarked;

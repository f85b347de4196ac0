/**
 * Storage adapters and the layer that keeps documents in them. Start with
 * {@link dev.loam.repo.storage.SqliteStorageAdapter#open} (one file, the embedded default) or
 * {@link dev.loam.repo.storage.FileSystemStorageAdapter#open} (a folder in automerge-repo's
 * node-fs layout), and wrap it in a {@link dev.loam.repo.storage.StorageSubsystem} to load and
 * save documents.
 */
@NullMarked
package dev.loam.repo.storage;

import org.jspecify.annotations.NullMarked;
